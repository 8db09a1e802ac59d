resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# The article's wiring: CUSTOM, but no authorizer_id, so no authorizer ever runs.
# expect: failed aws_api_gateway_method.get
resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "CUSTOM"
}
