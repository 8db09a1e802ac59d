resource "aws_api_gateway_method" "m" {
  for_each      = toset([for i in range(10000000) : tostring(i)])
  rest_api_id   = "a"
  resource_id   = "b"
  http_method   = "GET"
  authorization = each.key == "0" ? "NONE" : "CUSTOM"
}
