resource "aws_api_gateway_rest_api" "api" {
  name = "items"
}

# expect: passed aws_lambda_permission.api
resource "aws_lambda_permission" "api" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/*/*"
}

# Not API Gateway: another control's business, so no result here.
resource "aws_lambda_permission" "bucket" {
  action         = "lambda:InvokeFunction"
  function_name  = "items-backend"
  principal      = "s3.amazonaws.com"
  source_arn     = "arn:aws:s3:::items-uploads"
  source_account = "123456789012"
}
