variable "api_id" {
  type = string
}

# expect: unknown aws_lambda_permission.apigw
resource "aws_lambda_permission" "apigw" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "arn:aws:execute-api:us-east-1:123456789012:${var.api_id}/*/GET/items"
}
