variable "master_password" {
  type      = string
  sensitive = true
}
