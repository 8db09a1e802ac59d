# No default, no tfvars: the value is supplied when Terraform runs (TF_VAR_api_key), not written here.
variable "api_key" {
  type      = string
  sensitive = true
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "prod/fitness/api-key"
}

# expect: passed aws_secretsmanager_secret_version.api_key
resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id     = aws_secretsmanager_secret.api_key.id
  secret_string = var.api_key
}
