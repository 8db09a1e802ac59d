resource "aws_secretsmanager_secret" "signing_key" {
  name = "prod/fitness/signing-key"
}

# base64encode() of a literal: gateaudit does not compute it, but every input is written here.
# expect: failed aws_secretsmanager_secret_version.signing_key
resource "aws_secretsmanager_secret_version" "signing_key" {
  secret_id     = aws_secretsmanager_secret.signing_key.id
  secret_binary = base64encode("signing-key-not-a-real-one")
}
