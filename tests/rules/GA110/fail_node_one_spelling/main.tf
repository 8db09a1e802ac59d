resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = aws_lambda_function.authorizer.invoke_arn
}

# The package CI builds from this folder: handler.js sits beside this file.
resource "aws_lambda_function" "authorizer" {
  function_name = "api-key-authorizer"
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "nodejs20.x"
  handler       = "handler.handler"
  filename      = "build/authorizer.zip"

  environment {
    variables = {
      API_KEY = var.api_key
    }
  }
}

variable "api_key" {
  type      = string
  sensitive = true
}
