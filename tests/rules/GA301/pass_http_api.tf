resource "aws_apigatewayv2_api" "http" {
  name          = "items"
  protocol_type = "HTTP"
}

# A bare reference to the API's execution_arn, then a path.
# expect: passed aws_lambda_permission.backend
resource "aws_lambda_permission" "backend" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*/items"
}
