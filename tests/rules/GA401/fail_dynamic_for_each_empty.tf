variable "access_log_arns" {
  description = "Log group ARNs for the stage's access log (none by default)."
  type        = list(string)
  default     = []
}

resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

# The dynamic block is written, but its for_each is empty: no access_log_settings is generated.
# expect: failed aws_api_gateway_stage.prod
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"

  dynamic "access_log_settings" {
    for_each = var.access_log_arns
    content {
      destination_arn = access_log_settings.value
      format          = "$context.requestId $context.status"
    }
  }
}
