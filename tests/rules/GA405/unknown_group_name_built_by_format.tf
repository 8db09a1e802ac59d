variable "log_group_name" {
  type = string
}

# format() prefixes the name: the group is "/custom/<name>", the function logs to "<name>". Read as the
# bare variable, the two would look equal.
resource "aws_cloudwatch_log_group" "authorizer" {
  name              = format("/custom/%s", var.log_group_name)
  retention_in_days = 30
}

# expect: unknown aws_lambda_function.authorizer
resource "aws_lambda_function" "authorizer" {
  function_name = "api-key-authorizer"
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"

  logging_config {
    log_format = "JSON"
    log_group  = var.log_group_name
  }
}
