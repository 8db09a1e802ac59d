module "db" {
  source = "./modules/db"
  # The child's secret-like variable gets a literal from its caller: the result points here.
  # expect: failed module.db.var.master_password
  master_password = "Tr0ub4dor-and-3"
}
