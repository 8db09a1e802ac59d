resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# type is not set: TOKEN. Its token is the x-api-key header.
# expect: passed aws_api_gateway_authorizer.api_key
resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
}
