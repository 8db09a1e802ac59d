# A group with retention exists, but under another name: the function logs elsewhere.
resource "aws_cloudwatch_log_group" "authorizer" {
  name              = "/aws/lambda/authorizer"
  retention_in_days = 90
}

# expect: failed aws_lambda_function.authorizer
resource "aws_lambda_function" "authorizer" {
  function_name = "api-key-authorizer"
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}
