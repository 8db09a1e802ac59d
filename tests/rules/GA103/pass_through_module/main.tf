resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# The function lives in a module; its invoke_arn comes back as an output and goes
# through a local before it reaches the authorizer.
module "authorizer" {
  source = "./modules/authorizer"
  name   = "fitness-authorizer"
}

locals {
  authorizer_uri = module.authorizer.invoke_arn
}

# expect: passed aws_api_gateway_authorizer.api_key
resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = local.authorizer_uri
}
