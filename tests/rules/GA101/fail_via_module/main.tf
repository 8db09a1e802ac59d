resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

module "search" {
  source        = "./modules/method"
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  authorization = "NONE"
}
