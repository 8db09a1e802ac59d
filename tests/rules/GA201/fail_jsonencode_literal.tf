resource "aws_secretsmanager_secret" "api_key" {
  name = "items-api-key"
}

# The seed stack's defect: a literal inside jsonencode({...}) is still a literal.
# expect: failed aws_secretsmanager_secret_version.api_key
resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id     = aws_secretsmanager_secret.api_key.id
  secret_string = jsonencode({ api_key = "seed-example-key-not-a-real-credential-0000" })
}
