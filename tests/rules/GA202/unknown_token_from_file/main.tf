# file() is not evaluated: the token may be committed beside the code or written by CI before apply.
# expect: unknown aws_lambda_function.sync
resource "aws_lambda_function" "sync" {
  function_name = "fitness-sync"
  role          = "arn:aws:iam::123456789012:role/fitness-sync"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "${path.module}/sync.zip"

  environment {
    variables = {
      PARTNER_TOKEN = file("${path.module}/partner-token.txt")
    }
  }
}
