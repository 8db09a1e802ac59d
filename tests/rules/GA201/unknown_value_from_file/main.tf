resource "aws_secretsmanager_secret" "partner_token" {
  name = "prod/fitness/partner-token"
}

# file() is not evaluated: the file may be committed with the code or written by CI just before apply.
# expect: unknown aws_secretsmanager_secret_version.partner_token
resource "aws_secretsmanager_secret_version" "partner_token" {
  secret_id     = aws_secretsmanager_secret.partner_token.id
  secret_string = file("${path.module}/partner-token.txt")
}
