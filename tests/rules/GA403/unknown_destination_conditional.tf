variable "shared_log_group_arn" {
  description = "ARN of the organisation-wide access log group."
  type        = string
}

variable "use_shared_log_group" {
  type = bool
}

resource "aws_apigatewayv2_api" "http" {
  name          = "items-http"
  protocol_type = "HTTP"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/items-http/access"
  retention_in_days = 90
}

# One branch is this stack's log group, the other a variable: where the logs go is not in the code.
# expect: unknown aws_apigatewayv2_stage.default
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = var.use_shared_log_group ? var.shared_log_group_arn : aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId $context.status"
  }
}
