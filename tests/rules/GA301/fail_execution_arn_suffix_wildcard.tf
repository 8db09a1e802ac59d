resource "aws_api_gateway_rest_api" "api" {
  name = "items"
}

# "*" glued to the execution ARN extends the API id itself: abc123defg* matches other ids.
# expect: failed aws_lambda_permission.apigw
resource "aws_lambda_permission" "apigw" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}*"
}
