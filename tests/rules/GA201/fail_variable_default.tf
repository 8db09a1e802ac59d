# The variable's name is innocent (GA203 would not judge it); its literal default still becomes the secret.
variable "initial_value" {
  type      = string
  sensitive = true
  default   = "fitness-4f1c9a7e2b8d6035"
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "prod/fitness/api-key"
}

# expect: failed aws_secretsmanager_secret_version.api_key
resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id     = aws_secretsmanager_secret.api_key.id
  secret_string = var.initial_value
}
