# A SecureString with a value written in the configuration: any value, the type says it is a secret.
# expect: failed aws_ssm_parameter.db_password
resource "aws_ssm_parameter" "db_password" {
  name  = "/fitness/db/password"
  type  = "SecureString"
  value = "Tr0ub4dor-and-3"
}

variable "signing_secret" {
  type    = string
  default = "rotate-me-2024"
}

# Through a variable default, into the write-only argument: still committed.
# expect: failed aws_ssm_parameter.signing
resource "aws_ssm_parameter" "signing" {
  name             = "/fitness/signing"
  type             = "SecureString"
  value_wo         = var.signing_secret
  value_wo_version = 1
}
