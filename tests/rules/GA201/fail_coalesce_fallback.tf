variable "api_key" {
  type      = string
  sensitive = true
  default   = null
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "prod/fitness/api-key"
}

# Unset, var.api_key is null and the literal fallback becomes the key.
# expect: failed aws_secretsmanager_secret_version.api_key
resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id     = aws_secretsmanager_secret.api_key.id
  secret_string = coalesce(var.api_key, "changeme-fitness-key")
}
