resource "aws_apigatewayv2_api" "ws" {
  name                       = "items-ws"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

# expect: failed aws_apigatewayv2_stage.prod
resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.ws.id
  name   = "prod"

  default_route_settings {
    logging_level          = "INFO"
    data_trace_enabled     = true
    throttling_rate_limit  = 100
    throttling_burst_limit = 50
  }
}
