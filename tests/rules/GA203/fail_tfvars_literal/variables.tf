# No default: the literal is in terraform.tfvars, where the result points.
variable "db_password" {
  type      = string
  sensitive = true
}

variable "region" {
  type = string
}
