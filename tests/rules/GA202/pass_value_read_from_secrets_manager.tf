data "aws_secretsmanager_secret_version" "db" {
  secret_id = "fitness/db"
}

# A value read from Secrets Manager at apply time is not a literal: it passes, it is not unknown.
# expect: passed aws_lambda_function.backend
resource "aws_lambda_function" "backend" {
  function_name = "fitness-backend"
  role          = "arn:aws:iam::123456789012:role/fitness-backend"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "backend.zip"

  environment {
    variables = {
      DB_PASSWORD = jsondecode(data.aws_secretsmanager_secret_version.db.secret_string)["password"]
    }
  }
}
