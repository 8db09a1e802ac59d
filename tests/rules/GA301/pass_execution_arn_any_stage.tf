resource "aws_api_gateway_rest_api" "api" {
  name = "items"
}

# Any stage, method and path of this one API.
# expect: passed aws_lambda_permission.backend
resource "aws_lambda_permission" "backend" {
  statement_id  = "AllowApiGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/*/*"
}
