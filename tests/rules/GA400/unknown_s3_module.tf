# expect: unknown module.api
module "api" {
  source = "s3::https://s3.eu-west-1.amazonaws.com/example-modules/api-stage.zip"
}
