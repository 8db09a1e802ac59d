# A mode under an *_auth name, and a placeholder a later step fills in: no credential is written.
# expect: passed
variable "auth" {
  type    = string
  default = "AWS_IAM"
}

# expect: passed
variable "partner_auth" {
  type    = string
  default = "cognito"
}

# expect: passed
variable "db_password" {
  type    = string
  default = "<set by the deploy pipeline>"
}
