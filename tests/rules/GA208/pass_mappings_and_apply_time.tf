variable "partner_key" {
  type      = string
  sensitive = true
}

data "aws_secretsmanager_secret_version" "partner" {
  secret_id = "fitness/partner"
}

resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

# Mappings of the request, the context and stage variables are not static values; a static value that is
# no credential (a tenant name) is fine.
# expect: passed aws_apigatewayv2_integration.mapped
resource "aws_apigatewayv2_integration" "mapped" {
  api_id             = aws_apigatewayv2_api.http.id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://partner.example.com/orders"

  request_parameters = {
    "append:header.x-api-key"        = "$${stageVariables.partner_key}"
    "overwrite:header.authorization" = "$request.header.authorization"
    "append:header.x-request-id"     = "$context.requestId"
    "append:header.x-tenant"         = "fitness"
  }
}

# Values known only at apply time: a variable without default, a secret read from Secrets Manager.
# expect: passed aws_apigatewayv2_integration.supplied
resource "aws_apigatewayv2_integration" "supplied" {
  api_id             = aws_apigatewayv2_api.http.id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://partner.example.com/reports"

  request_parameters = {
    "append:header.x-api-key"        = var.partner_key
    "overwrite:header.authorization" = "Bearer ${jsondecode(data.aws_secretsmanager_secret_version.partner.secret_string)["token"]}"
  }
}
