# expect: nothing
module "api" {
  source = "./modules/api"
  name   = "orders"
}
