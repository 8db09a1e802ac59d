# expect: passed module.db.var.master_password
variable "master_password" {
  type      = string
  sensitive = true
}
