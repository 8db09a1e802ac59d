resource "aws_apigatewayv2_api" "ws" {
  name                       = "live"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

# A WebSocket authorizer reading a query string: the fix names the configured header as
# route.request.header.x-fitness-key, the spelling WebSocket APIs accept, not $request.header.x-fitness-key.
# expect: failed aws_apigatewayv2_authorizer.api_key
resource "aws_apigatewayv2_authorizer" "api_key" {
  api_id           = aws_apigatewayv2_api.ws.id
  name             = "api-key"
  authorizer_type  = "REQUEST"
  identity_sources = ["route.request.querystring.token"]
  authorizer_uri   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
}
