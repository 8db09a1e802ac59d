module "authorizer_role" {
  source         = "./modules/function_role"
  name           = "authorizer"
  secret_actions = ["secretsmanager:*"]
}
