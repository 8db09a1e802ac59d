resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# An OPTIONS method proxied to an HTTP backend reaches real code: not a preflight.
# expect: failed aws_api_gateway_method.options
resource "aws_api_gateway_method" "options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "options" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_rest_api.api.root_resource_id
  http_method             = aws_api_gateway_method.options.http_method
  type                    = "HTTP_PROXY"
  integration_http_method = "OPTIONS"
  uri                     = "https://backend.example.com/"
}
