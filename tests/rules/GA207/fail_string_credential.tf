# A String parameter named like a secret, holding a literal.
# expect: failed aws_ssm_parameter.partner_token
resource "aws_ssm_parameter" "partner_token" {
  name  = "/fitness/partner/token"
  type  = "String"
  value = "partner-token-2024-Qm8"
}

# An AWS access key id is a credential whatever the parameter is called.
# expect: failed aws_ssm_parameter.uploader
resource "aws_ssm_parameter" "uploader" {
  name           = "/fitness/uploader/principal"
  type           = "String"
  insecure_value = "AKIAQWERTYUIOPASDFGH"
}
