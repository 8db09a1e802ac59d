# The method's authorization comes from a variable with no value: what the code deploys cannot be known.
variable "authorization" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "gateaudit-rest"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_method" "items_get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = var.authorization
}
