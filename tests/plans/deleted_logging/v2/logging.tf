# Version 2's logging: aws_cloudwatch_log_group.access and aws_api_gateway_method_settings.all are gone (the
# plan destroys them); the stage still names the log group by the ARN version 1's state recorded, and now
# traces requests (an update in place).
resource "aws_api_gateway_stage" "v1" {
  rest_api_id          = aws_api_gateway_rest_api.api.id
  deployment_id        = aws_api_gateway_deployment.api.id
  stage_name           = "v1"
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/apigateway/deleted-logging/access"
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
  }
}
