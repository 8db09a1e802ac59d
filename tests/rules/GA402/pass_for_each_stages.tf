locals {
  stages = toset(["dev", "prod"])
}

resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

resource "aws_api_gateway_stage" "this" {
  for_each      = local.stages
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = each.key
}

# One settings instance per stage instance, each referring to its own stage.
# expect: passed aws_api_gateway_method_settings.all["dev"]
# expect: passed aws_api_gateway_method_settings.all["prod"]
resource "aws_api_gateway_method_settings" "all" {
  for_each    = local.stages
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.this[each.key].stage_name
  method_path = "*/*"

  settings {
    logging_level = "ERROR"
  }
}
