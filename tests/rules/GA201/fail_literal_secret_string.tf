resource "aws_secretsmanager_secret" "api_key" {
  name = "prod/fitness/api-key"
}

# The key itself is written here: it is in the repository, every plan and the state.
# expect: failed aws_secretsmanager_secret_version.api_key
resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id     = aws_secretsmanager_secret.api_key.id
  secret_string = "fitness-4f1c9a7e2b8d6035"
}
