resource "aws_api_gateway_method" "m" {
  rest_api_id   = "a"
  resource_id   = "b"
  http_method   = "GET"
  authorization = frobnicate("NONE")
}
