# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

# CUSTOM, but no authorizer_id: no authorizer ever runs.
# expect: failed aws_apigatewayv2_route.get_items
resource "aws_apigatewayv2_route" "get_items" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /items"
  authorization_type = "CUSTOM"
}
