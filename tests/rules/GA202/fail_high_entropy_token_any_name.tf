# A 40-character random token under an innocent name.
# expect: failed aws_lambda_function.sync
resource "aws_lambda_function" "sync" {
  function_name = "fitness-sync"
  role          = "arn:aws:iam::123456789012:role/fitness-sync"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "sync.zip"

  environment {
    variables = {
      PARTNER_HEADER = "x-partner-auth"
      PARTNER_AUTH   = "q8Zt3Lm0Vx7Rb2Nc5Kw9Hy4Fd1Gs6Pj3Ta8Ue0Wo"
    }
  }
}
