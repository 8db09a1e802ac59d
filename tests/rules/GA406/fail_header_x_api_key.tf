resource "aws_apigatewayv2_api" "http" {
  name          = "items-http"
  protocol_type = "HTTP"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/items-http/access"
  retention_in_days = 90
}

# Any spelling of the key's header in the format is refused, whatever its case.
# expect: failed aws_apigatewayv2_stage.default
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = "$context.requestId $context.status $context.requestHeader.X-Api-Key"
  }
}
