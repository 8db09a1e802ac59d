resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# expect: passed aws_api_gateway_authorizer.team_header
resource "aws_api_gateway_authorizer" "team_header" {
  name            = "team-header"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.X-Fitness-Key"
  authorizer_uri  = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
}

# expect: failed aws_api_gateway_authorizer.x_api_key
resource "aws_api_gateway_authorizer" "x_api_key" {
  name            = "x-api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
}
