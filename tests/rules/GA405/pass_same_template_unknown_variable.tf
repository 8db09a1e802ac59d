variable "name" {
  type = string
}

# Both names are built from var.name (no value here): the templates are the same text.
# expect: passed aws_cloudwatch_log_group.authorizer
resource "aws_cloudwatch_log_group" "authorizer" {
  name              = "/aws/lambda/${var.name}-authorizer"
  retention_in_days = 90
}

resource "aws_lambda_function" "authorizer" {
  function_name = "${var.name}-authorizer"
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}
