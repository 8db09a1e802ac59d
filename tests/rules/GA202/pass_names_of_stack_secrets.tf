resource "aws_secretsmanager_secret" "api_key" {
  name = "fitness-api-key"
}

resource "aws_ssm_parameter" "db_password" {
  name  = "fitness-db-password"
  type  = "SecureString"
  value = var.db_password
}

variable "db_password" {
  type      = string
  sensitive = true
}

# Plain secret names without a path: they are the names of a secret and a parameter of this stack.
# expect: passed aws_lambda_function.authorizer
resource "aws_lambda_function" "authorizer" {
  function_name = "fitness-authorizer"
  role          = "arn:aws:iam::123456789012:role/fitness-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"

  environment {
    variables = {
      API_KEY_SECRET = "fitness-api-key"
      DB_PASSWORD    = "fitness-db-password"
    }
  }
}
