routes = {
  orders = {
    route_key          = "GET /orders"
    authorization_type = "AWS_IAM"
  }
  # optional(string, "NONE") gives the omitted authorization_type its default: the route is open.
  # expect: failed aws_apigatewayv2_route.this["health"]
  health = {
    route_key = "GET /health"
  }
}
