resource "aws_apigatewayv2_api" "api" {
  name          = "items-api"
  protocol_type = "HTTP"
}

# The integration names its function by a literal ARN; the URL names it by its name.
resource "aws_apigatewayv2_integration" "items" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = "arn:aws:lambda:eu-west-1:123456789012:function:items-backend"
  payload_format_version = "2.0"
}

# expect: failed aws_lambda_function_url.backend
resource "aws_lambda_function_url" "backend" {
  function_name      = "items-backend"
  authorization_type = "NONE"
}
