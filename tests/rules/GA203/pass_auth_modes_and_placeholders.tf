# A mode under an *_auth name, and a placeholder a later step fills in: no credential is written.
# expect: passed var.auth
variable "auth" {
  type    = string
  default = "AWS_IAM"
}

# expect: passed var.partner_auth
variable "partner_auth" {
  type    = string
  default = "cognito"
}

# expect: passed var.db_password
variable "db_password" {
  type    = string
  default = "<set by the deploy pipeline>"
}
