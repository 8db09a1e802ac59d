variable "api_id" {
  type = string
}

variable "route_key" {
  type = string
}

variable "authorization_type" {
  type = string
}

variable "authorizer_id" {
  type    = string
  default = null
}

resource "aws_apigatewayv2_route" "this" {
  api_id             = var.api_id
  route_key          = var.route_key
  authorization_type = var.authorization_type
  authorizer_id      = var.authorizer_id
}

output "route_id" {
  value = aws_apigatewayv2_route.this.id
}
