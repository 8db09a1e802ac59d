resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# A Lambda function ARN written out is not an invocation URI either.
# expect: failed aws_api_gateway_authorizer.api_key
resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = "arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer"
}
