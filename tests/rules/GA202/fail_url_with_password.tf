# expect: failed aws_lambda_function.reports
resource "aws_lambda_function" "reports" {
  function_name = "fitness-reports"
  role          = "arn:aws:iam::123456789012:role/fitness-reports"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "reports.zip"

  environment {
    variables = {
      DATABASE_URL = "postgres://reports:Tr0ub4dor-and-3@db.internal.example:5432/fitness"
    }
  }
}
