resource "aws_secretsmanager_secret" "api_key" {
  name = "prod/fitness/api-key"
}

# Write-only keeps the value out of the state, not out of the repository.
# expect: failed aws_secretsmanager_secret_version.api_key
resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id                = aws_secretsmanager_secret.api_key.id
  secret_string_wo         = "fitness-4f1c9a7e2b8d6035"
  secret_string_wo_version = 1
}
