# The API key is generated during apply and written to Secrets Manager through
# a write-only attribute: neither the plan nor the state ever holds its value.
# To issue a new key, increase var.api_key_version.

ephemeral "aws_secretsmanager_random_password" "api_key" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "api_key" {
  name                    = "${var.name}/api-key"
  description             = "x-api-key value checked by the ${local.authorizer_function_name} Lambda authorizer."
  recovery_window_in_days = var.secret_recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id                = aws_secretsmanager_secret.api_key.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.api_key.random_password
  secret_string_wo_version = var.api_key_version
}
