variable "function_name" {
  type = string
}

# The name refers to the function itself: a match, though var.function_name has no value.
# expect: passed aws_cloudwatch_log_group.authorizer
resource "aws_cloudwatch_log_group" "authorizer" {
  name              = "/aws/lambda/${aws_lambda_function.authorizer.function_name}"
  retention_in_days = 14
}

resource "aws_lambda_function" "authorizer" {
  function_name = var.function_name
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}
