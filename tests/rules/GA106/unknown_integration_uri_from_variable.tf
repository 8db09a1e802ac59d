variable "backend_invoke_arn" {
  type = string
}

resource "aws_apigatewayv2_api" "api" {
  name          = "items-api"
  protocol_type = "HTTP"
}

# Which function this integration calls is not in the code.
resource "aws_apigatewayv2_integration" "items" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = var.backend_invoke_arn
  payload_format_version = "2.0"
}

resource "aws_lambda_function" "reports" {
  function_name = "reports"
  role          = "arn:aws:iam::123456789012:role/reports"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "reports.zip"
}

# It may be this one: its public URL may bypass the API's authorizer.
# expect: unknown aws_lambda_function_url.reports
resource "aws_lambda_function_url" "reports" {
  function_name      = aws_lambda_function.reports.function_name
  authorization_type = "NONE"
}
