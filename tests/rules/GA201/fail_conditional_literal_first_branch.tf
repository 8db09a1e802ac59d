variable "use_fixed_key" {
  type = bool
}

ephemeral "aws_secretsmanager_random_password" "api_key" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "prod/fitness/api-key"
}

# Same as fail_conditional_literal_branch.tf with the literal in the first branch.
# expect: failed aws_secretsmanager_secret_version.api_key
resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id                = aws_secretsmanager_secret.api_key.id
  secret_string_wo         = var.use_fixed_key ? "fitness-4f1c9a7e2b8d6035" : ephemeral.aws_secretsmanager_random_password.api_key.random_password
  secret_string_wo_version = 1
}
