variable "access_log" {
  description = "Where and how to write access logs; an empty list turns them off."
  type = list(object({
    destination_arn = string
    format          = string
  }))
}

resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

# Whether the block exists at all depends on var.access_log, which has no value here.
# expect: unknown aws_api_gateway_stage.prod
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"

  dynamic "access_log_settings" {
    for_each = var.access_log
    content {
      destination_arn = access_log_settings.value.destination_arn
      format          = access_log_settings.value.format
    }
  }
}
