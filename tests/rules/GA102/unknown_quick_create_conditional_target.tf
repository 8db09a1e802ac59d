variable "quick_create" {
  type = bool
}

resource "aws_lambda_function" "app" {
  function_name = "fitness-app"
  role          = "arn:aws:iam::123456789012:role/fitness-app"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "app.zip"
}

# target is null unless var.quick_create is true, and var.quick_create has no value.
# expect: unknown aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
  target        = var.quick_create ? aws_lambda_function.app.arn : null
}
