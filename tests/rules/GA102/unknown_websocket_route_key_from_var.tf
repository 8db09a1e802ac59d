variable "route_key" {
  type = string
}

resource "aws_apigatewayv2_api" "ws" {
  name                       = "live"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

# An open WebSocket route is fine unless it is $connect, and the key has no value.
# expect: unknown aws_apigatewayv2_route.dynamic
resource "aws_apigatewayv2_route" "dynamic" {
  api_id    = aws_apigatewayv2_api.ws.id
  route_key = var.route_key
}
