variable "identity_source" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# expect: unknown aws_api_gateway_authorizer.api_key
resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = var.identity_source
  authorizer_uri  = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
}
