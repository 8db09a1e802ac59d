# `route_key` and `lambda_source_key` end in `_key`, but their values are a route key and an S3 object key:
# judged by name and value, neither is a credential.
# expect: passed var.route_key
variable "route_key" {
  type    = string
  default = "GET /orders/{id}"
}

# expect: passed var.lambda_source_key
variable "lambda_source_key" {
  type    = string
  default = "authorizer-1.4.2.zip"
}

variable "release" {
  type = string
}

variable "method" {
  type = string
}

# Values built at apply time by functions gateaudit does not evaluate: under names that do not call them a
# credential by themselves, there is nothing to be unsure about.
module "orders" {
  source            = "./modules/route"
  route_key         = "${title(lower(var.method))} /orders"
  lambda_source_key = "authorizer-${replace(var.release, ".", "-")}.zip"
}
