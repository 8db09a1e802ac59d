data "aws_cloudwatch_log_group" "shared" {
  name = "/shared/apigateway/access"
}

resource "aws_apigatewayv2_api" "http" {
  name          = "items-http"
  protocol_type = "HTTP"
}

# The group is managed elsewhere and read here: its ARN is a real destination.
# expect: passed aws_apigatewayv2_stage.default
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = data.aws_cloudwatch_log_group.shared.arn
    format          = "$context.requestId $context.status"
  }
}
