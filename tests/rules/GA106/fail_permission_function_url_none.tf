resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
}

resource "aws_lambda_function" "backend" {
  function_name = "items-backend"
  role          = "arn:aws:iam::123456789012:role/items-backend"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "backend.zip"
}

resource "aws_lambda_function" "auth" {
  function_name = "api-key-authorizer"
  role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}

resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = aws_lambda_function.auth.invoke_arn
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.api_key.id
}

resource "aws_api_gateway_integration" "get" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_rest_api.api.root_resource_id
  http_method             = aws_api_gateway_method.get.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = aws_lambda_function.backend.invoke_arn
}

# expect: failed aws_lambda_function_url.backend
resource "aws_lambda_function_url" "backend" {
  function_name      = aws_lambda_function.backend.function_name
  authorization_type = "NONE"
}

# The permission that opens that URL to anyone.
# expect: failed aws_lambda_permission.url
resource "aws_lambda_permission" "url" {
  statement_id           = "FunctionURLAllowPublicAccess"
  action                 = "lambda:InvokeFunctionUrl"
  function_name          = aws_lambda_function.backend.function_name
  principal              = "*"
  function_url_auth_type = "NONE"
}
