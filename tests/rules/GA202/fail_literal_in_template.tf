variable "token_prefix" {
  type = string
}

variable "environment_name" {
  type = string
}

# The token's known part is written here, around a value given at apply time.
# expect: failed aws_lambda_function.template_part
resource "aws_lambda_function" "template_part" {
  function_name = "fitness-template-part"
  role          = "arn:aws:iam::123456789012:role/fitness-template-part"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "template-part.zip"

  environment {
    variables = {
      AUTH_TOKEN = "Bearer ${var.token_prefix}q8Zt3Lm0Vx7Rb2Nc"
    }
  }
}

# A JWT written inside a template, under a name that says nothing secret.
# expect: failed aws_lambda_function.template_jwt
resource "aws_lambda_function" "template_jwt" {
  function_name = "fitness-template-jwt"
  role          = "arn:aws:iam::123456789012:role/fitness-template-jwt"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "template-jwt.zip"

  environment {
    variables = {
      UPSTREAM_HEADER = "${var.environment_name}: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmaXRuZXNzIn0.c2lnbmF0dXJl"
    }
  }
}
