variable "stage_settings" {
  description = "Method settings of the stage; anything left out takes its default."
  type = object({
    logging_level      = optional(string, "ERROR")
    data_trace_enabled = optional(bool, false)
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

# data_trace_enabled is omitted from the default: optional(bool, false) makes it false.
# expect: passed aws_api_gateway_method_settings.all
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.prod.stage_name
  method_path = "*/*"

  settings {
    logging_level      = var.stage_settings.logging_level
    data_trace_enabled = var.stage_settings.data_trace_enabled
  }
}
