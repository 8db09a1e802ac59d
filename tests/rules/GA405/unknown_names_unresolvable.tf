variable "function_name" {
  type = string
}

variable "log_group_name" {
  type = string
}

resource "aws_cloudwatch_log_group" "authorizer" {
  name              = var.log_group_name
  retention_in_days = 90
}

# Two unrelated variables: the group may or may not be this function's.
# expect: unknown aws_lambda_function.authorizer
resource "aws_lambda_function" "authorizer" {
  function_name = var.function_name
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}
