module "api_gateway" {
  source  = "terraform-aws-modules/apigateway-v2/aws"
  version = "5.0.0"

  name = "orders"
  routes = {
    # The route this entry defines is open: the failure points here, where it is written.
    # expect: failed module.api_gateway.aws_apigatewayv2_route.this["GET /"]
    "GET /"        = "NONE"
    "POST /orders" = "CUSTOM"
  }
}
