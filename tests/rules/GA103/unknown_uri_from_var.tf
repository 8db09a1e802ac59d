variable "authorizer_uri" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# expect: unknown aws_api_gateway_authorizer.api_key
resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = var.authorizer_uri
}
