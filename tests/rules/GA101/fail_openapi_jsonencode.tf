resource "aws_iam_role" "authorizer" {
  name = "authorizer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "authorizer" {
  function_name = "api-key-authorizer"
  role          = aws_iam_role.authorizer.arn
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}

# The body is an HCL object: each operation is judged at the line of its path.
resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "fitness", version = "1.0" }
    components = {
      securitySchemes = {
        api_key = {
          type                           = "apiKey"
          name                           = "x-api-key"
          in                             = "header"
          "x-amazon-apigateway-authtype" = "custom"
          "x-amazon-apigateway-authorizer" = {
            type           = "request"
            identitySource = "method.request.header.x-api-key"
            authorizerUri  = aws_lambda_function.authorizer.invoke_arn
          }
        }
      }
    }
    security = [{ api_key = [] }]
    paths = {
      # expect: passed aws_api_gateway_rest_api.api GET /workouts
      "/workouts" = {
        get = {}
      }
      # expect: failed aws_api_gateway_rest_api.api DELETE /workouts/{id}
      "/workouts/{id}" = {
        delete = { security = [] }
      }
    }
  })
}
