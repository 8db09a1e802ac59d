module "db" {
  source = "./modules/db"
  # file() is not evaluated: the password may be committed beside the code.
  # expect: unknown module.db.var.master_password
  master_password = file("${path.module}/db-password.txt")
}
