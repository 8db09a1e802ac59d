resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
}

# for_each over a set of verbs: each instance is judged under its own address.
# expect: passed aws_api_gateway_method.items["DELETE"]
# expect: passed aws_api_gateway_method.items["GET"]
# expect: passed aws_api_gateway_method.items["POST"]
resource "aws_api_gateway_method" "items" {
  for_each      = toset(["GET", "POST", "DELETE"])
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = each.key
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.api_key.id
}
