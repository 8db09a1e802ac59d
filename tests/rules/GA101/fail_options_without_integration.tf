resource "aws_api_gateway_rest_api" "api" {
  name = "orders"
}

# An open OPTIONS method is exempt only as a MOCK preflight: with no integration at all it is not one.
# expect: failed aws_api_gateway_method.options
resource "aws_api_gateway_method" "options" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "OPTIONS"
  authorization = "NONE"
}
