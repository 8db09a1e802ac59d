variable "routes" {
  description = "The API's routes, by name; SigV4 (AWS_IAM) unless a route says otherwise."
  type = map(object({
    route_key          = string
    authorization_type = optional(string, "AWS_IAM")
  }))
  default = {
    orders = { route_key = "GET /orders" }
    # null is the same as leaving it out: the default applies.
    health = { route_key = "GET /health", authorization_type = null }
  }
}

# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "orders"
  protocol_type = "HTTP"
}

# expect: passed aws_apigatewayv2_route.this["orders"]
# expect: passed aws_apigatewayv2_route.this["health"]
resource "aws_apigatewayv2_route" "this" {
  for_each           = var.routes
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = each.value.route_key
  authorization_type = each.value.authorization_type
}
