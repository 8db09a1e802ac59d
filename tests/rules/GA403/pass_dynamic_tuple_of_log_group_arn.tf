resource "aws_apigatewayv2_api" "http" {
  name          = "items-http"
  protocol_type = "HTTP"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/items-http/access"
  retention_in_days = 90
}

locals {
  access_log_destinations = [aws_cloudwatch_log_group.access.arn]
}

# A one-element tuple whose element is known only after apply: one access_log_settings block, to the log group.
# expect: passed aws_apigatewayv2_stage.default
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  dynamic "access_log_settings" {
    for_each = local.access_log_destinations
    iterator = destination
    content {
      destination_arn = destination.value
      format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
    }
  }
}
