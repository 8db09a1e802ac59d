# expect: unknown module.api
module "api" {
  source = "git::https://github.com/example/terraform-aws-secrets.git?ref=v1.2.0"
}
