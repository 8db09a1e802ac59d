variable "api_id" {
  type = string
}

variable "name" {
  type = string
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/for-each-modules/${var.name}"
  retention_in_days = 90
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = var.api_id
  name        = var.name
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode({ requestId = "$context.requestId", routeKey = "$context.routeKey", status = "$context.status" })
  }
}
