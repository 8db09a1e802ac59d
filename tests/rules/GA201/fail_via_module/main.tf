module "api_key" {
  source = "./modules/secret"
  name   = "prod/fitness/api-key"
  value  = "fitness-4f1c9a7e2b8d6035"
}
