resource "aws_apigatewayv2_api" "http" {
  name          = "items-http"
  protocol_type = "HTTP"
}

# expect: failed aws_apigatewayv2_stage.default
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}
