resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

# No identity sources: API Gateway calls the authorizer for requests without the key too,
# and cannot cache by it.
# expect: failed aws_apigatewayv2_authorizer.api_key
resource "aws_apigatewayv2_authorizer" "api_key" {
  api_id                            = aws_apigatewayv2_api.http.id
  name                              = "api-key"
  authorizer_type                   = "REQUEST"
  authorizer_uri                    = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
  authorizer_payload_format_version = "2.0"
  enable_simple_responses           = true
}

# The cache key is the route, not the key: one allowed call opens the route to all.
# expect: failed aws_apigatewayv2_authorizer.by_route
resource "aws_apigatewayv2_authorizer" "by_route" {
  api_id                            = aws_apigatewayv2_api.http.id
  name                              = "by-route"
  authorizer_type                   = "REQUEST"
  identity_sources                  = ["$context.routeKey"]
  authorizer_uri                    = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
  authorizer_payload_format_version = "2.0"
  enable_simple_responses           = true
}
