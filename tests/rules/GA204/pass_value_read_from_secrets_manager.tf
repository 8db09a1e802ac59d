data "aws_secretsmanager_secret_version" "partner" {
  secret_id = "fitness/partner-api-key"
}

# A value read from Secrets Manager at apply time is not a literal: it passes, it is not unknown.
# expect: passed aws_api_gateway_api_key.partner
resource "aws_api_gateway_api_key" "partner" {
  name  = "partner"
  value = jsondecode(data.aws_secretsmanager_secret_version.partner.secret_string)["api_key"]
}
