variable "is_prod" {
  type = bool
}

variable "db_password" {
  type      = string
  sensitive = true
}

variable "extra_environment" {
  type = map(string)
}

# Which branch wins is decided at apply time, but the development password is written here.
# expect: failed aws_lambda_function.branch
resource "aws_lambda_function" "branch" {
  function_name = "fitness-branch"
  role          = "arn:aws:iam::123456789012:role/fitness-branch"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "branch.zip"

  environment {
    variables = {
      DB_PASSWORD = var.is_prod ? var.db_password : "dev-password-123"
    }
  }
}

# A literal fallback written beside a variable without default.
# expect: failed aws_lambda_function.fallback
resource "aws_lambda_function" "fallback" {
  function_name = "fitness-fallback"
  role          = "arn:aws:iam::123456789012:role/fitness-fallback"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "fallback.zip"

  environment {
    variables = {
      DB_PASSWORD = coalesce(var.db_password, "fallback-password-123")
    }
  }
}

# The map as a whole is unknown (var.extra_environment has no value), but the entry merged in is a literal.
# expect: failed aws_lambda_function.merged
resource "aws_lambda_function" "merged" {
  function_name = "fitness-merged"
  role          = "arn:aws:iam::123456789012:role/fitness-merged"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "merged.zip"

  environment {
    variables = merge(var.extra_environment, { PARTNER_TOKEN = "partner-token-not-a-name" })
  }
}
