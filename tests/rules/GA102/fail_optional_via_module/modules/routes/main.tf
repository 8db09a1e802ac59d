variable "api_id" {
  description = "The HTTP API the routes belong to."
  type        = string
}

variable "routes" {
  description = "The routes, by name; authorization_type may be left out."
  type = map(object({
    route_key          = string
    authorization_type = optional(string)
  }))
}

# expect: passed module.routes.aws_apigatewayv2_route.this["orders"]
resource "aws_apigatewayv2_route" "this" {
  for_each           = var.routes
  api_id             = var.api_id
  route_key          = each.value.route_key
  authorization_type = each.value.authorization_type
}
