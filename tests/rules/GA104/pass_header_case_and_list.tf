resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# Header names are case-insensitive, and the key may be one of several sources
# (the cache key is then their combination).
# expect: passed aws_api_gateway_authorizer.api_key
resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.querystring.tenant, method.request.header.X-Api-Key"
  authorizer_uri  = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
}
