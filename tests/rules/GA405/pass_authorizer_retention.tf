resource "aws_apigatewayv2_api" "api" {
  name          = "items-api"
  protocol_type = "HTTP"
}

resource "aws_lambda_function" "auth" {
  function_name = "api-key-authorizer"
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}

# expect: passed aws_cloudwatch_log_group.auth
resource "aws_cloudwatch_log_group" "auth" {
  name              = "/aws/lambda/api-key-authorizer"
  retention_in_days = 90
}

resource "aws_apigatewayv2_authorizer" "api_key" {
  name                              = "api-key"
  api_id                            = aws_apigatewayv2_api.api.id
  authorizer_type                   = "REQUEST"
  identity_sources                  = ["$request.header.x-api-key"]
  authorizer_uri                    = aws_lambda_function.auth.invoke_arn
  authorizer_payload_format_version = "2.0"
  enable_simple_responses           = true
}
