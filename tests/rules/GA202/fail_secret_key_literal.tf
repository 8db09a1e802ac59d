# expect: failed aws_lambda_function.backend
resource "aws_lambda_function" "backend" {
  function_name = "fitness-backend"
  role          = "arn:aws:iam::123456789012:role/fitness-backend"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "backend.zip"

  environment {
    variables = {
      TABLE_NAME = "fitness-items"
      SECRET_KEY = "hunter2-correct-horse"
    }
  }
}
