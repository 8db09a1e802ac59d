# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

# The catch-all $default route with no authorization_type: the provider's default is NONE.
# expect: failed aws_apigatewayv2_route.default
resource "aws_apigatewayv2_route" "default" {
  api_id    = aws_apigatewayv2_api.http.id
  route_key = "$default"
}

# expect: failed aws_apigatewayv2_route.get_items
resource "aws_apigatewayv2_route" "get_items" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /items"
  authorization_type = "NONE"
}
