resource "aws_secretsmanager_secret" "signing_key" {
  name = "prod/fitness/signing-key"
}

# expect: failed aws_secretsmanager_secret_version.signing_key
resource "aws_secretsmanager_secret_version" "signing_key" {
  secret_id     = aws_secretsmanager_secret.signing_key.id
  secret_binary = "c2lnbmluZy1rZXktbm90LWEtcmVhbC1vbmU="
}
