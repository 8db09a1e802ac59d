variable "name" {
  type = string
}

variable "routes" {
  type = map(string)
}

# expect: passed module.api_gateway.aws_apigatewayv2_api.this
resource "aws_apigatewayv2_api" "this" {
  name          = var.name
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "this" {
  api_id                            = aws_apigatewayv2_api.this.id
  name                              = "api-key"
  authorizer_type                   = "REQUEST"
  identity_sources                  = ["$request.header.x-api-key"]
  authorizer_uri                    = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
  authorizer_payload_format_version = "2.0"
}

# expect: passed module.api_gateway.aws_apigatewayv2_route.this["POST /orders"]
resource "aws_apigatewayv2_route" "this" {
  for_each           = var.routes
  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  authorization_type = each.value
  authorizer_id      = each.value == "CUSTOM" ? aws_apigatewayv2_authorizer.this.id : null
}
