resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# No identity_source: the provider sends method.request.header.Authorization, and with
# the default 300 s cache a request carrying any key gets the Allow cached for the same
# Authorization value.
# expect: failed aws_api_gateway_authorizer.cached
resource "aws_api_gateway_authorizer" "cached" {
  name           = "cached"
  rest_api_id    = aws_api_gateway_rest_api.api.id
  type           = "REQUEST"
  authorizer_uri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
}

# Caching off: the Authorization default is still sent, so API Gateway refuses requests
# without Authorization and never requires the key.
# expect: failed aws_api_gateway_authorizer.uncached
resource "aws_api_gateway_authorizer" "uncached" {
  name                             = "uncached"
  rest_api_id                      = aws_api_gateway_rest_api.api.id
  type                             = "REQUEST"
  authorizer_uri                   = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
  authorizer_result_ttl_in_seconds = 0
}
