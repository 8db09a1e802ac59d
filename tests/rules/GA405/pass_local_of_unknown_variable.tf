# The function name and the log group name come from the same local over a variable with no value:
# both are unknown, but their templates ("/aws/lambda/${var.name}-authorizer") match.
variable "name" {
  type = string
}

locals {
  authorizer_function_name = "${var.name}-authorizer"
}

# expect: passed aws_cloudwatch_log_group.authorizer
resource "aws_cloudwatch_log_group" "authorizer" {
  name              = "/aws/lambda/${local.authorizer_function_name}"
  retention_in_days = 90
}

resource "aws_lambda_function" "authorizer" {
  function_name = local.authorizer_function_name
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}
