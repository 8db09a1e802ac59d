variable "rest_api_id" {
  type = string
}

variable "resource_id" {
  type = string
}

variable "authorization" {
  type    = string
  default = "CUSTOM"
}

# The caller's "NONE" reaches the method through the module input.
# expect: failed module.search.aws_api_gateway_method.this
resource "aws_api_gateway_method" "this" {
  rest_api_id   = var.rest_api_id
  resource_id   = var.resource_id
  http_method   = "GET"
  authorization = var.authorization
}
