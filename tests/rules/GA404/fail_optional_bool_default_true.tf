variable "stage_settings" {
  description = "Method settings of the stage; full request logging is on unless turned off."
  type = object({
    logging_level      = optional(string, "INFO")
    data_trace_enabled = optional(bool, true)
  })
  default = {}
}

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

# data_trace_enabled is omitted: optional(bool, true) turns full request logging on.
# expect: failed aws_api_gateway_method_settings.all
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    logging_level      = var.stage_settings.logging_level
    data_trace_enabled = var.stage_settings.data_trace_enabled
  }
}
