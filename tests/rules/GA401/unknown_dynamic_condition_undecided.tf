variable "access_logs_enabled" {
  description = "Whether the stage writes access logs (no default: set per environment)."
  type        = bool
}

resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/items-api/prod/access"
  retention_in_days = 90
}

# The condition has no value: the list has one element or none, so whether the block exists is not known.
# expect: unknown aws_api_gateway_stage.prod
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"

  dynamic "access_log_settings" {
    for_each = var.access_logs_enabled ? [aws_cloudwatch_log_group.access.arn] : []
    content {
      destination_arn = access_log_settings.value
      format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
    }
  }
}
