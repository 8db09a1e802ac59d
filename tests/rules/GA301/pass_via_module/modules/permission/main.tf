variable "function_name" {
  type = string
}

variable "api_execution_arn" {
  type = string
}

# The caller's execution_arn reaches source_arn through the module input.
# expect: passed module.backend_permission.aws_lambda_permission.this
resource "aws_lambda_permission" "this" {
  action        = "lambda:InvokeFunction"
  function_name = var.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${var.api_execution_arn}/*/*"
}
