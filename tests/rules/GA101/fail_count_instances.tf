resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# count gives two instances, both open: each is judged under its own address.
# expect: failed aws_api_gateway_method.health[0]
# expect: failed aws_api_gateway_method.health[1]
resource "aws_api_gateway_method" "health" {
  count         = 2
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = count.index == 0 ? "GET" : "HEAD"
  authorization = "NONE"
}
