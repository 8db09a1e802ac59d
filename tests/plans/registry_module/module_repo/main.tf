# The repository's root module: unused by the fixture, here because registry modules have one.
variable "name" {
  type = string
}

resource "aws_api_gateway_rest_api" "this" {
  name = var.name
}
