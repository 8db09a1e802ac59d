# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

# JWT, but no authorizer_id: no token is validated.
# expect: failed aws_apigatewayv2_route.get_profile
resource "aws_apigatewayv2_route" "get_profile" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /profile"
  authorization_type = "JWT"
}
