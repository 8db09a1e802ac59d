resource "aws_secretsmanager_secret" "api_key" {
  name = "fitness-api-key"
}

resource "aws_ssm_parameter" "db_password" {
  name  = "/fitness/db/password"
  type  = "SecureString"
  value = var.db_password
}

variable "db_password" {
  type      = string
  sensitive = true
}

# Every value names a secret (a name, a path, an ARN, a reference's name/arn/id); none is one.
# expect: passed aws_lambda_function.authorizer
resource "aws_lambda_function" "authorizer" {
  function_name = "fitness-authorizer"
  role          = "arn:aws:iam::123456789012:role/fitness-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"

  environment {
    variables = {
      API_KEY_SECRET       = "prod/fitness/api-key"
      FALLBACK_KEY_SECRET  = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod/fitness/api-key-AbCdEf"
      CURRENT_KEY_SECRET   = aws_secretsmanager_secret.api_key.name
      ROTATED_KEY_SECRET   = aws_secretsmanager_secret.api_key.arn
      PREVIOUS_KEY_SECRET  = aws_secretsmanager_secret.api_key.id
      DB_PASSWORD          = aws_ssm_parameter.db_password.name
      SSM_DB_PASSWORD_PATH = "/fitness/db/password"
    }
  }
}
