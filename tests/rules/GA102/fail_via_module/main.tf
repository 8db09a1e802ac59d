# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

module "search" {
  source             = "./modules/route"
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /search"
  authorization_type = "NONE"
}
