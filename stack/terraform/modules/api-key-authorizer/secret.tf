# The API key is generated during apply and written to Secrets Manager through a
# write-only attribute: neither the plan nor the state ever holds its value.
#
# Increasing var.api_key_version replaces the version resource: the provider
# leaves the AWSCURRENT label on the old version when it deletes the resource,
# then PutSecretValue stores the new key as AWSCURRENT and Secrets Manager moves
# AWSPREVIOUS to the old one, so the authorizer accepts both until the next change.

ephemeral "aws_secretsmanager_random_password" "api_key" {
  password_length     = var.api_key_length
  exclude_punctuation = true
  include_space       = false
}

resource "aws_secretsmanager_secret" "api_key" {
  name                    = var.secret_name
  description             = "x-api-key value checked by the ${var.name} Lambda authorizer."
  kms_key_id              = var.secret_kms_key_arn
  recovery_window_in_days = var.secret_recovery_window_in_days
}

resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id                = aws_secretsmanager_secret.api_key.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.api_key.random_password
  secret_string_wo_version = var.api_key_version
}
