resource "aws_apigatewayv2_api" "ws" {
  name                       = "items-ws"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/items-ws/access"
  retention_in_days = 90
}

# expect: failed aws_apigatewayv2_stage.prod
resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.ws.id
  name   = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "{\"requestId\":\"$context.requestId\",\"eventType\":\"$context.eventType\",\"apiKey\":\"$context.identity.apiKey\"}"
  }
}
