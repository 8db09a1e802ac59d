variable "reports_password" {
  type      = string
  sensitive = true
}

data "aws_secretsmanager_secret_version" "db" {
  secret_id = "fitness/db"
}

# From a variable without default: set at apply time.
# expect: passed aws_db_instance.reports
resource "aws_db_instance" "reports" {
  identifier          = "fitness-reports"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "reports"
  password            = var.reports_password
  skip_final_snapshot = true
}

# Read from Secrets Manager at apply time: not a literal.
# expect: passed aws_rds_cluster.orders
resource "aws_rds_cluster" "orders" {
  cluster_identifier  = "fitness-orders"
  engine              = "aurora-postgresql"
  master_username     = "orders"
  master_password     = jsondecode(data.aws_secretsmanager_secret_version.db.secret_string)["password"]
  skip_final_snapshot = true
}

# The service manages the password: no sensitive argument is set, no result.
resource "aws_db_instance" "managed" {
  identifier                  = "fitness-managed"
  engine                      = "postgres"
  instance_class              = "db.t4g.micro"
  allocated_storage           = 20
  username                    = "managed"
  manage_master_user_password = true
  skip_final_snapshot         = true
}
