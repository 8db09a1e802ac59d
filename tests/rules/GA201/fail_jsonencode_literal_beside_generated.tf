ephemeral "aws_secretsmanager_random_password" "api_key" {
  password_length = 40
}

resource "aws_secretsmanager_secret" "partner" {
  name = "prod/fitness/partner"
}

# One field is generated, but the password beside it is a literal.
# expect: failed aws_secretsmanager_secret_version.partner
resource "aws_secretsmanager_secret_version" "partner" {
  secret_id = aws_secretsmanager_secret.partner.id
  secret_string_wo = jsonencode({
    api_key  = ephemeral.aws_secretsmanager_random_password.api_key.random_password
    password = "Tr0ub4dor-and-3"
  })
  secret_string_wo_version = 1
}
