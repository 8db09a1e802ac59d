# expect: passed module.orders.var.route_key
variable "route_key" {
  type = string
}

# expect: passed module.orders.var.lambda_source_key
variable "lambda_source_key" {
  type = string
}
