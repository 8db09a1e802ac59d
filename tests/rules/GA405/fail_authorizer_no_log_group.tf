resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
}

# The authorizer's Lambda: the message says so, and names the API it guards.
# expect: failed aws_lambda_function.auth
resource "aws_lambda_function" "auth" {
  function_name = "api-key-authorizer"
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}

resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = aws_lambda_function.auth.invoke_arn
}
