resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# type and identity_source are not set: a TOKEN authorizer given the Authorization
# header only. It never sees x-api-key.
# expect: failed aws_api_gateway_authorizer.token
resource "aws_api_gateway_authorizer" "token" {
  name           = "token"
  rest_api_id    = aws_api_gateway_rest_api.api.id
  authorizer_uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
}
