variable "name" {
  type = string
}

variable "value" {
  type      = string
  sensitive = true
}

resource "aws_secretsmanager_secret" "this" {
  name = var.name
}

# The caller passes a literal: the module's secret is written in the configuration.
# expect: failed module.api_key.aws_secretsmanager_secret_version.this
resource "aws_secretsmanager_secret_version" "this" {
  secret_id     = aws_secretsmanager_secret.this.id
  secret_string = var.value
}
