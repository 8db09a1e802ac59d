# The name says nothing secret, the value is shaped like an AWS access key id (AKIA + 16).
# expect: failed aws_lambda_function.uploader
resource "aws_lambda_function" "uploader" {
  function_name = "fitness-uploader"
  role          = "arn:aws:iam::123456789012:role/fitness-uploader"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "uploader.zip"

  environment {
    variables = {
      UPLOAD_PRINCIPAL = "AKIAIOSFODNN7EXAMPLE"
    }
  }
}
