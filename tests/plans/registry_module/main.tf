# A REST API whose /items methods come from a module fetched the way a registry module is: a git
# repository, a sub-folder of it (//modules/route) and a version tag. scripts/make_plans.py makes the
# repository from module_repo/, writes its path where MODULE_REPO stands below (in a temporary copy) and
# plans it into ../registry_module.plan.json, with that path replaced back by MODULE_REPO.
provider "aws" {
  region = "eu-west-1"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "registry-module"
}

resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:api-key-authorizer/invocations"
}

module "items" {
  source = "git::file://MODULE_REPO//modules/route?ref=v1.0.0"

  rest_api_id   = aws_api_gateway_rest_api.api.id
  parent_id     = aws_api_gateway_rest_api.api.root_resource_id
  path_part     = "items"
  authorizer_id = aws_api_gateway_authorizer.api_key.id
}
