resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

# expect: failed aws_apigatewayv2_integration.partner
resource "aws_apigatewayv2_integration" "partner" {
  api_id             = aws_apigatewayv2_api.http.id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://partner.example.com/orders"

  request_parameters = {
    "append:header.x-api-key" = "pk-8d7f6e5c4b3a29181716151413121110"
  }
}

locals {
  upstream_auth = "Basic cmVwb3J0czpUcjB1YjRkb3ItYW5kLTM="
}

# Through a local, overwriting the Authorization header.
# expect: failed aws_apigatewayv2_integration.reports
resource "aws_apigatewayv2_integration" "reports" {
  api_id             = aws_apigatewayv2_api.http.id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://reports.example.com/"

  request_parameters = {
    "overwrite:header.authorization" = local.upstream_auth
  }
}

variable "token_prefix" {
  type = string
}

# The literal text of a template around a value given at apply time is written in the configuration.
# expect: failed aws_apigatewayv2_integration.template
resource "aws_apigatewayv2_integration" "template" {
  api_id             = aws_apigatewayv2_api.http.id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://partner.example.com/template"

  request_parameters = {
    "overwrite:header.authorization" = "Bearer ${var.token_prefix}q8Zt3Lm0Vx7RkP2sW9yB4nC6"
  }
}
