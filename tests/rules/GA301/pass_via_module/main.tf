resource "aws_api_gateway_rest_api" "api" {
  name = "items"
}

module "backend_permission" {
  source            = "./modules/permission"
  function_name     = "items-backend"
  api_execution_arn = aws_api_gateway_rest_api.api.execution_arn
}
