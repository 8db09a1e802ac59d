# file() of a file in the repository: the token is committed beside the code, a literal.
# expect: failed aws_lambda_function.sync
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
