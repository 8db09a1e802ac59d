variable "api_execution_arn" {
  type = string
}

# Nothing says which API the variable will name (or whether it will be "*").
# expect: unknown aws_lambda_permission.apigw
resource "aws_lambda_permission" "apigw" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${var.api_execution_arn}/*/*"
}
