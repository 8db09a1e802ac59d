module "db" {
  source = "./modules/db"
  # file() of a file in the repository: the password is committed beside the code.
  # expect: failed module.db.var.master_password
  master_password = file("${path.module}/db-password.txt")
}
