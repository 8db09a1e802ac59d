variable "rest_api_id" {
  type = string
}

variable "authorizer_uri" {
  type = string
}

# expect: failed module.authorizer.aws_api_gateway_authorizer.this
resource "aws_api_gateway_authorizer" "this" {
  name            = "api-key"
  rest_api_id     = var.rest_api_id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = var.authorizer_uri
}
