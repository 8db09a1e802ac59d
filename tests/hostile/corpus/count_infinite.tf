resource "aws_api_gateway_method" "m" {
  count         = 1e400
  rest_api_id   = "a"
  resource_id   = "b"
  http_method   = "GET"
  authorization = count.index == 0 ? "NONE" : "CUSTOM"
}
