# The default-named group is managed, but logging_config sends the logs to another one.
resource "aws_cloudwatch_log_group" "default" {
  name              = "/aws/lambda/api-key-authorizer"
  retention_in_days = 30
}

# expect: failed aws_lambda_function.authorizer
resource "aws_lambda_function" "authorizer" {
  function_name = "api-key-authorizer"
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"

  logging_config {
    log_format = "JSON"
    log_group  = "/custom/items-api/authorizer"
  }
}
