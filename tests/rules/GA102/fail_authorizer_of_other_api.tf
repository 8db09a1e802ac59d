# expect: passed aws_apigatewayv2_api.public
resource "aws_apigatewayv2_api" "public" {
  name          = "public"
  protocol_type = "HTTP"
}

# expect: passed aws_apigatewayv2_api.admin
resource "aws_apigatewayv2_api" "admin" {
  name          = "admin"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "admin_key" {
  api_id                            = aws_apigatewayv2_api.admin.id
  name                              = "admin-key"
  authorizer_type                   = "REQUEST"
  identity_sources                  = ["$request.header.x-api-key"]
  authorizer_uri                    = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
  authorizer_payload_format_version = "2.0"
}

# expect: failed aws_apigatewayv2_route.get_items
resource "aws_apigatewayv2_route" "get_items" {
  api_id             = aws_apigatewayv2_api.public.id
  route_key          = "GET /items"
  authorization_type = "CUSTOM"
  authorizer_id      = aws_apigatewayv2_authorizer.admin_key.id
}
