data "aws_secretsmanager_secret_version" "db" {
  secret_id = "fitness/db"
}

# A value read from Secrets Manager at apply time is not a literal: it passes, it is not unknown.
module "db" {
  source          = "./modules/db"
  master_password = jsondecode(data.aws_secretsmanager_secret_version.db.secret_string)["password"]
}
