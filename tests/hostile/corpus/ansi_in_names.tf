resource "aws_api_gateway_method" "m[31mred" {
  rest_api_id   = "a"
  resource_id   = "b"
  http_method   = "GET]0;title"
  authorization = "NONE"
}
