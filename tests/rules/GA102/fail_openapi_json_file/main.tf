# JSON holds no comments: each annotation names the line of its path in openapi.json.
# expect: passed aws_apigatewayv2_api.http
# expect: passed aws_apigatewayv2_api.http GET /workouts at openapi.json:23
# expect: failed aws_apigatewayv2_api.http PUT /workouts at openapi.json:23
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
  body          = file("${path.module}/openapi.json")
}
