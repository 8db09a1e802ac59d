variable "access_logs_enabled" {
  description = "Whether the stage writes access logs."
  type        = bool
  default     = true
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

# var.access_logs_enabled is true: the list has one element, known only after apply (the log group's ARN).
# That is one access_log_settings block pointing at the log group, not a block that may or may not exist.
# expect: passed aws_api_gateway_stage.prod
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
