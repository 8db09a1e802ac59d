# The reference stack's pattern: generated at apply time, written through a write-only argument.
ephemeral "aws_secretsmanager_random_password" "api_key" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "prod/fitness/api-key"
}

# expect: passed aws_secretsmanager_secret_version.api_key
resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id                = aws_secretsmanager_secret.api_key.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.api_key.random_password
  secret_string_wo_version = 1
}
