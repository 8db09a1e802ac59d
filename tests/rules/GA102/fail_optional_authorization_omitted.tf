variable "routes" {
  description = "The API's routes, by name; authorization_type may be left out."
  type = map(object({
    route_key          = string
    authorization_type = optional(string)
  }))
  default = {
    orders = {
      route_key          = "GET /orders"
      authorization_type = "AWS_IAM"
    }
    # authorization_type is left out: optional(string) makes it null, and the route is open (NONE).
    # expect: failed aws_apigatewayv2_route.this["health"]
    health = {
      route_key = "GET /health"
    }
  }
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
