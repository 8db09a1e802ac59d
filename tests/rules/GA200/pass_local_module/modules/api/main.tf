variable "name" {
  type = string
}

resource "aws_api_gateway_rest_api" "this" {
  name = var.name
}
