variable "api_id" {
  type = string
}

# HTTP API authorizers need a payload format version, WebSocket ones take none: with the
# API outside the stack, there is no telling which this is.
# expect: unknown aws_apigatewayv2_authorizer.api_key
resource "aws_apigatewayv2_authorizer" "api_key" {
  api_id           = var.api_id
  name             = "api-key"
  authorizer_type  = "REQUEST"
  identity_sources = ["$request.header.x-api-key"]
  authorizer_uri   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
}
