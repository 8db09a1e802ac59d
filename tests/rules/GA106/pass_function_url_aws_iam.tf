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

# A URL of the backend that takes only SigV4-signed calls: no anonymous way around the authorizer.
# expect: passed aws_lambda_function_url.backend
resource "aws_lambda_function_url" "backend" {
  function_name      = aws_lambda_function.backend.function_name
  authorization_type = "AWS_IAM"
}

# API Gateway's own permission, and a permission for any principal of one organisation: not open to anyone
# (GA301 judges how the first is scoped).
resource "aws_lambda_permission" "api" {
  statement_id  = "AllowAPIGateway"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.backend.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/*"
}

resource "aws_lambda_permission" "org" {
  statement_id     = "AllowOrganisation"
  action           = "lambda:InvokeFunction"
  function_name    = aws_lambda_function.backend.function_name
  principal        = "*"
  principal_org_id = "o-a1b2c3d4e5"
}
