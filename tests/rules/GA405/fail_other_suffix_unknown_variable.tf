variable "name" {
  type = string
}

# Same variable, different fixed suffix: whatever var.name is, these names differ.
resource "aws_cloudwatch_log_group" "backend" {
  name              = "/aws/lambda/${var.name}-backend"
  retention_in_days = 90
}

# expect: failed aws_lambda_function.authorizer
resource "aws_lambda_function" "authorizer" {
  function_name = "${var.name}-authorizer"
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}
