resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_apigatewayv2_api" "http" {
  name          = "fitness-http"
  protocol_type = "HTTP"
}

resource "aws_lambda_function" "authorizer" {
  function_name = "fitness-authorizer"
  role          = "arn:aws:iam::123456789012:role/fitness-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}

# .arn is the function's ARN; API Gateway needs the invocation URI (.invoke_arn).
# The type is not set: a TOKEN authorizer, which calls a Lambda function too.
# expect: failed aws_api_gateway_authorizer.token
resource "aws_api_gateway_authorizer" "token" {
  name            = "token"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = aws_lambda_function.authorizer.arn
}

# expect: failed aws_apigatewayv2_authorizer.api_key
resource "aws_apigatewayv2_authorizer" "api_key" {
  api_id                            = aws_apigatewayv2_api.http.id
  name                              = "api-key"
  authorizer_type                   = "REQUEST"
  identity_sources                  = ["$request.header.x-api-key"]
  authorizer_uri                    = aws_lambda_function.authorizer.qualified_arn
  authorizer_payload_format_version = "2.0"
}
