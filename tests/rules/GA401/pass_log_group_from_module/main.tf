module "logs" {
  source = "./modules/logs"
  name   = "/aws/apigateway/items-api/prod/access"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

# The ARN comes through a module output; it is still the log group's ARN.
# expect: passed aws_api_gateway_stage.prod
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"

  access_log_settings {
    destination_arn = module.logs.arn
    format          = "$context.requestId $context.status"
  }
}
