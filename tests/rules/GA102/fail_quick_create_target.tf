# Quick create: API Gateway adds a "$default" route with authorization NONE, an
# integration and a stage. None of them is in the configuration.
# expect: failed aws_apigatewayv2_api.quick
resource "aws_apigatewayv2_api" "quick" {
  name          = "fitness"
  protocol_type = "HTTP"
  target        = aws_lambda_function.app.arn
}

resource "aws_lambda_function" "app" {
  function_name = "fitness-app"
  role          = "arn:aws:iam::123456789012:role/fitness-app"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "app.zip"
}
