# expect: nothing
module "api" {
  source  = "terraform-aws-modules/apigateway-v2/aws"
  version = "~> 5.0"
  name    = "orders"
}
