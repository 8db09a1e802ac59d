resource "aws_apigatewayv2_api" "api" {
  name          = "items-api"
  protocol_type = "HTTP"
}

resource "aws_lambda_function" "backend" {
  function_name = "items-backend"
  role          = "arn:aws:iam::123456789012:role/items-backend"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "backend.zip"
}

resource "aws_apigatewayv2_integration" "items" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.backend.invoke_arn
  payload_format_version = "2.0"
}

# Anyone (any AWS account) may invoke the backend directly with lambda:InvokeFunction.
# expect: failed aws_lambda_permission.anyone
resource "aws_lambda_permission" "anyone" {
  statement_id  = "AllowAnyone"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.backend.arn
  principal     = "*"
}
