variable "api_id" {
  type = string
}

variable "route_key" {
  type = string
}

variable "authorization_type" {
  type    = string
  default = "CUSTOM"
}

# The caller's "NONE" reaches the route through the module input, and api_id is the
# caller's HTTP API.
# expect: failed module.search.aws_apigatewayv2_route.this
resource "aws_apigatewayv2_route" "this" {
  api_id             = var.api_id
  route_key          = var.route_key
  authorization_type = var.authorization_type
}
