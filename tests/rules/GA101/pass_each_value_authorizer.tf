resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_api_gateway_authorizer" "key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
}

locals {
  methods = {
    GET  = { authorizer_id = aws_api_gateway_authorizer.key.id }
    POST = { authorizer_id = aws_api_gateway_authorizer.key.id }
  }
}

# The authorizer comes through each.value, from the map for_each walks.
# expect: passed aws_api_gateway_method.this["GET"]
# expect: passed aws_api_gateway_method.this["POST"]
resource "aws_api_gateway_method" "this" {
  for_each      = local.methods
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = each.key
  authorization = "CUSTOM"
  authorizer_id = each.value.authorizer_id
}
