# expect: unknown module.api
module "api" {
  source = "terraform-aws-modules/lambda/aws"
  version = "~> 5.0"
}
