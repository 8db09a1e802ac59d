variable "preflight_method" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# expect: unknown aws_api_gateway_method.options
resource "aws_api_gateway_method" "options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "OPTIONS"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "options" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_rest_api.api.root_resource_id
  http_method = var.preflight_method
  type        = "MOCK"
}
