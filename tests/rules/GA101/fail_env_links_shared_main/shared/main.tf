# Linked as envs/dev/main.tf: the module source resolves from there, and results show the link's path.
module "api" {
  source = "../../modules/api"
  stage  = var.stage
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = module.api.id
  parent_id   = module.api.root_resource_id
  path_part   = "items"
}

# expect: failed aws_api_gateway_method.get
resource "aws_api_gateway_method" "get" {
  rest_api_id   = module.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "NONE"
}
