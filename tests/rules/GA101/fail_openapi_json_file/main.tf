# A Swagger 2.0 document in JSON, read from the root module's folder. JSON holds no comments: each
# annotation names the line of its path in openapi.json.
# expect: passed aws_api_gateway_rest_api.api GET /workouts at openapi.json:19
# expect: failed aws_api_gateway_rest_api.api ANY /workouts at openapi.json:19
# expect: failed aws_api_gateway_rest_api.api GET /health at openapi.json:23
resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
  body = file("openapi.json")
}
