# A placeholder written to be deployed as it is becomes the function's password: a credential, and a weak one.
# expect: failed aws_lambda_function.placeholder
resource "aws_lambda_function" "placeholder" {
  function_name = "fitness-placeholder"
  role          = "arn:aws:iam::123456789012:role/fitness-placeholder"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "placeholder.zip"

  environment {
    variables = {
      DB_PASSWORD = "changeme"
    }
  }
}
