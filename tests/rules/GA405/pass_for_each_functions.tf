locals {
  functions = toset(["authorizer", "backend"])
}

# expect: passed aws_cloudwatch_log_group.function["authorizer"]
# expect: passed aws_cloudwatch_log_group.function["backend"]
resource "aws_cloudwatch_log_group" "function" {
  for_each          = local.functions
  name              = "/aws/lambda/items-${each.key}"
  retention_in_days = 30
}

resource "aws_lambda_function" "function" {
  for_each      = local.functions
  function_name = "items-${each.key}"
  role          = "arn:aws:iam::123456789012:role/items-${each.key}"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "${each.key}.zip"
}
