resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_lambda_function" "authorizer" {
  function_name = "fitness-authorizer"
  role          = "arn:aws:iam::123456789012:role/fitness-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}

# expect: passed aws_api_gateway_authorizer.api_key
resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = aws_lambda_function.authorizer.invoke_arn
}

# Cognito authorizers call no Lambda function: not judged.
resource "aws_api_gateway_authorizer" "cognito" {
  name          = "cognito"
  rest_api_id   = aws_api_gateway_rest_api.api.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_example"]
}
