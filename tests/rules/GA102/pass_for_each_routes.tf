# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "api_key" {
  api_id                            = aws_apigatewayv2_api.http.id
  name                              = "api-key"
  authorizer_type                   = "REQUEST"
  identity_sources                  = ["$request.header.x-api-key"]
  authorizer_uri                    = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
  authorizer_payload_format_version = "2.0"
}

# expect: passed aws_apigatewayv2_route.items["get"]
# expect: passed aws_apigatewayv2_route.items["post"]
resource "aws_apigatewayv2_route" "items" {
  for_each           = { get = "GET /items", post = "POST /items" }
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = each.value
  authorization_type = "CUSTOM"
  authorizer_id      = aws_apigatewayv2_authorizer.api_key.id
}
