variable "routes" {
  description = "The API's routes, by name; a route is open unless it says otherwise."
  type = map(object({
    route_key          = string
    authorization_type = optional(string, "NONE")
  }))
}

# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "orders"
  protocol_type = "HTTP"
}

# expect: passed aws_apigatewayv2_route.this["orders"]
resource "aws_apigatewayv2_route" "this" {
  for_each           = var.routes
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = each.value.route_key
  authorization_type = each.value.authorization_type
}
