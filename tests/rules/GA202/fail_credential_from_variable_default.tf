variable "upstream_password" {
  type      = string
  sensitive = true
  default   = "Tr0ub4dor-and-3"
}

# The literal comes through a variable default: still written in the configuration.
# expect: failed aws_lambda_function.backend
resource "aws_lambda_function" "backend" {
  function_name = "fitness-backend"
  role          = "arn:aws:iam::123456789012:role/fitness-backend"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "backend.zip"

  environment {
    variables = {
      UPSTREAM_PASSWORD = var.upstream_password
    }
  }
}
