resource "aws_api_gateway_rest_api" "api" {
  name = "items"
}

# A source_arn does not make a "*" principal acceptable.
# expect: failed aws_lambda_permission.anyone
resource "aws_lambda_permission" "anyone" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "*"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/*/*"
}
