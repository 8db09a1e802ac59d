# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "orders"
  protocol_type = "HTTP"
}

module "routes" {
  source = "./modules/routes"
  api_id = aws_apigatewayv2_api.http.id
  routes = {
    orders = { route_key = "GET /orders", authorization_type = "AWS_IAM" }
    # The module's type makes the omitted authorization_type null: this route is open.
    # expect: failed module.routes.aws_apigatewayv2_route.this["health"]
    health = { route_key = "GET /health" }
  }
}
