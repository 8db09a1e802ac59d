variable "partner_token" {
  type      = string
  sensitive = true
}

# Not written here: the token is supplied at apply time (it still lands in the function's configuration).
# expect: passed aws_lambda_function.sync
resource "aws_lambda_function" "sync" {
  function_name = "fitness-sync"
  role          = "arn:aws:iam::123456789012:role/fitness-sync"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "sync.zip"

  environment {
    variables = {
      PARTNER_TOKEN = var.partner_token
    }
  }
}
