resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

# expect: failed aws_apigatewayv2_authorizer.api_key
resource "aws_apigatewayv2_authorizer" "api_key" {
  api_id           = aws_apigatewayv2_api.http.id
  name             = "api-key"
  authorizer_type  = "REQUEST"
  identity_sources = ["$request.header.x-api-key"]
  authorizer_uri   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
}

# Simple responses imply an HTTP API, so the missing version fails even when api_id
# names no API of this stack.
# expect: failed aws_apigatewayv2_authorizer.elsewhere
resource "aws_apigatewayv2_authorizer" "elsewhere" {
  api_id                  = "a1b2c3d4e5"
  name                    = "api-key"
  authorizer_type         = "REQUEST"
  identity_sources        = ["$request.header.x-api-key"]
  authorizer_uri          = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
  enable_simple_responses = true
}
