variable "db_password" {
  type      = string
  sensitive = true
}

data "aws_secretsmanager_secret_version" "partner" {
  secret_id = "fitness/partner"
}

# expect: passed aws_ssm_parameter.db_password
resource "aws_ssm_parameter" "db_password" {
  name  = "/fitness/db/password"
  type  = "SecureString"
  value = var.db_password
}

# Read from Secrets Manager at apply time: not a literal, passes (not unknown).
# expect: passed aws_ssm_parameter.partner_key
resource "aws_ssm_parameter" "partner_key" {
  name  = "/fitness/partner/api-key"
  type  = "SecureString"
  value = jsondecode(data.aws_secretsmanager_secret_version.partner.secret_string)["api_key"]
}

# Plain configuration: no credential by name or value.
# expect: passed aws_ssm_parameter.db_host
resource "aws_ssm_parameter" "db_host" {
  name  = "/fitness/db/host"
  type  = "String"
  value = "reports.cluster-abc123.eu-west-1.rds.amazonaws.com"
}

# A secret-like name whose value only names the secret.
# expect: passed aws_ssm_parameter.api_key_secret
resource "aws_ssm_parameter" "api_key_secret" {
  name           = "/fitness/api-key/secret"
  type           = "String"
  insecure_value = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fitness/api-key-AbCdEf"
}
