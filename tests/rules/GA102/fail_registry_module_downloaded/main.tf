module "api_gateway" {
  source  = "terraform-aws-modules/apigateway-v2/aws"
  version = "5.0.0"

  name = "orders"
  routes = {
    "GET /"        = "NONE"
    "POST /orders" = "CUSTOM"
  }
}
