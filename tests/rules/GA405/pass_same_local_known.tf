variable "name" {
  type    = string
  default = "items-api"
}

locals {
  authorizer_function_name = "${var.name}-authorizer"
}

# The reference stack's pattern: both names from the same local.
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
