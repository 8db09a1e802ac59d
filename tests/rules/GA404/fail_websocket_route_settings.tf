resource "aws_apigatewayv2_api" "ws" {
  name                       = "items-ws"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_route" "connect" {
  api_id    = aws_apigatewayv2_api.ws.id
  route_key = "$connect"
}

# The stage default is safe; the $connect route, where the key arrives, logs everything.
# expect: failed aws_apigatewayv2_stage.prod
resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.ws.id
  name   = "prod"

  default_route_settings {
    logging_level          = "ERROR"
    data_trace_enabled     = false
    throttling_rate_limit  = 100
    throttling_burst_limit = 50
  }

  route_settings {
    route_key          = aws_apigatewayv2_route.connect.route_key
    logging_level      = "INFO"
    data_trace_enabled = true
  }
}
