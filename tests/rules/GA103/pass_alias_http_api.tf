resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

resource "aws_lambda_function" "authorizer" {
  function_name = "fitness-authorizer"
  role          = "arn:aws:iam::123456789012:role/fitness-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.authorizer.function_name
  function_version = "1"
}

# An alias's invocation URI (for provisioned concurrency) is fine too.
# expect: passed aws_apigatewayv2_authorizer.api_key
resource "aws_apigatewayv2_authorizer" "api_key" {
  api_id                            = aws_apigatewayv2_api.http.id
  name                              = "api-key"
  authorizer_type                   = "REQUEST"
  identity_sources                  = ["$request.header.x-api-key"]
  authorizer_uri                    = aws_lambda_alias.live.invoke_arn
  authorizer_payload_format_version = "2.0"
}

# JWT authorizers call no Lambda function: not judged.
resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.http.id
  name             = "cognito"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    audience = ["fitness-client"]
    issuer   = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"
  }
}
