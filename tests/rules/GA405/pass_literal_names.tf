# The result is on the log group: that is where retention is set.
# expect: passed aws_cloudwatch_log_group.authorizer
resource "aws_cloudwatch_log_group" "authorizer" {
  name              = "/aws/lambda/api-key-authorizer"
  retention_in_days = 90
}

resource "aws_lambda_function" "authorizer" {
  function_name = "api-key-authorizer"
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}
