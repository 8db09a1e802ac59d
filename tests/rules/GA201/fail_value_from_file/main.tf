resource "aws_secretsmanager_secret" "partner_token" {
  name = "prod/fitness/partner-token"
}

# file() of a file in the repository: its content is committed with the code, a literal.
# expect: failed aws_secretsmanager_secret_version.partner_token
resource "aws_secretsmanager_secret_version" "partner_token" {
  secret_id     = aws_secretsmanager_secret.partner_token.id
  secret_string = file("${path.module}/partner-token.txt")
}
