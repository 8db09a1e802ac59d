resource "aws_secretsmanager_secret" "api_key" {
  name = "gateaudit-ref/api-key"
}

variable "secret_cache_ttl_seconds" {
  type    = number
  default = 300
}

# The function gets the secret's ARN, never the key.
# expect: passed aws_lambda_function.authorizer
resource "aws_lambda_function" "authorizer" {
  function_name = "gateaudit-ref-authorizer"
  role          = "arn:aws:iam::123456789012:role/gateaudit-ref-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"

  environment {
    variables = {
      API_KEY_SECRET_ARN       = aws_secretsmanager_secret.api_key.arn
      SECRET_CACHE_TTL_SECONDS = tostring(var.secret_cache_ttl_seconds)
    }
  }
}
