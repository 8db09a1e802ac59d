variable "authorizer_id" {
  type = string
}

# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

# expect: unknown aws_apigatewayv2_route.get_items
resource "aws_apigatewayv2_route" "get_items" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /items"
  authorization_type = "CUSTOM"
  authorizer_id      = var.authorizer_id
}
