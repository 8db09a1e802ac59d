# The API answers CORS preflight itself (cors_configuration): an explicit open OPTIONS
# route is not a preflight exemption but a route anyone can call.
# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins = ["https://app.example.com"]
    allow_methods = ["GET", "POST"]
    allow_headers = ["x-api-key", "content-type"]
  }
}

# expect: failed aws_apigatewayv2_route.preflight
resource "aws_apigatewayv2_route" "preflight" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "OPTIONS /{proxy+}"
  authorization_type = "NONE"
}
