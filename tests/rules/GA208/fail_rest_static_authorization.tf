resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_api_gateway_resource" "orders" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "orders"
}

# A static value in single quotes: a bearer token sent to the backend with every request.
# expect: failed aws_api_gateway_integration.orders
resource "aws_api_gateway_integration" "orders" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.orders.id
  http_method             = "GET"
  type                    = "HTTP_PROXY"
  integration_http_method = "GET"
  uri                     = "https://backend.example.com/orders"

  request_parameters = {
    "integration.request.header.Authorization" = "'Bearer q8Zt3Lm0Vx7RkP2sW9yB4nC6'"
    "integration.request.header.X-Request-Id"  = "context.requestId"
  }
}
