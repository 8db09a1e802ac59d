variable "api_id" {
  type = string
}

# api_id names no API of this stack: "$default" exists on HTTP and WebSocket APIs alike,
# and a WebSocket $default route cannot carry an authorizer.
# expect: unknown aws_apigatewayv2_route.default
resource "aws_apigatewayv2_route" "default" {
  api_id    = var.api_id
  route_key = "$default"
}

# "VERB /path" keys exist only on HTTP APIs: open whatever the API is.
# expect: failed aws_apigatewayv2_route.get_items
resource "aws_apigatewayv2_route" "get_items" {
  api_id    = var.api_id
  route_key = "GET /items"
}
