resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"
}

# Execution logging is OFF today, but data trace is set: the key is logged the day it is turned on.
# expect: failed aws_api_gateway_method_settings.items_get
resource "aws_api_gateway_method_settings" "items_get" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "items/GET"

  settings {
    logging_level      = "OFF"
    data_trace_enabled = true
  }
}
