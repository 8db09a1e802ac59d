# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
  body          = file("${path.module}/spec/openapi.yaml")
}
