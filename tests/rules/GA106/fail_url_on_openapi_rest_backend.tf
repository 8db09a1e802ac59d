# The API's routes are defined by its OpenAPI body, whose integration invokes the backend: a URL anyone may
# call on that backend bypasses the API (and whatever authorizer the body gives it).
resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "items", version = "1" }
    paths = {
      "/items" = {
        get = {
          "x-amazon-apigateway-integration" = {
            type       = "aws_proxy"
            httpMethod = "POST"
            uri        = aws_lambda_function.backend.invoke_arn
          }
        }
      }
    }
  })
}

resource "aws_lambda_function" "backend" {
  function_name = "items-backend"
  role          = "arn:aws:iam::123456789012:role/items-backend"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "backend.zip"
}

# expect: failed aws_lambda_function_url.backend
resource "aws_lambda_function_url" "backend" {
  function_name      = aws_lambda_function.backend.function_name
  authorization_type = "NONE"
}
