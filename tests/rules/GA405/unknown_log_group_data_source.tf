data "aws_cloudwatch_log_group" "shared" {
  name = "/shared/lambda"
}

# The group is read, not managed here: its retention is someone else's setting.
# expect: unknown aws_lambda_function.authorizer
resource "aws_lambda_function" "authorizer" {
  function_name = "api-key-authorizer"
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"

  logging_config {
    log_format = "JSON"
    log_group  = data.aws_cloudwatch_log_group.shared.name
  }
}
