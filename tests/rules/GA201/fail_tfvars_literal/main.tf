resource "aws_secretsmanager_secret" "api_key" {
  name = "prod/fitness/api-key"
}

# var.api_key has no default, but terraform.tfvars (loaded automatically) sets it to a literal.
# expect: failed aws_secretsmanager_secret_version.api_key
resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id     = aws_secretsmanager_secret.api_key.id
  secret_string = var.api_key
}
