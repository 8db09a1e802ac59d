resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

# expect: failed aws_apigatewayv2_integration.partner
resource "aws_apigatewayv2_integration" "partner" {
  api_id             = aws_apigatewayv2_api.http.id
  integration_type   = "HTTP_PROXY"
  integration_method = "GET"
  integration_uri    = "https://partner.example.com/orders"

  request_parameters = {
    "append:header.x-api-key" = trimspace(file("${path.module}/secrets/partner-key.txt"))
  }
}
