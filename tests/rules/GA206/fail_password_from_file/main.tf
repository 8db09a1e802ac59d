# The password is read from a file committed beside the configuration: that is a literal in the repository.
# expect: failed aws_db_instance.reports
resource "aws_db_instance" "reports" {
  identifier          = "fitness-reports"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "reports"
  password            = trimspace(file("${path.module}/secrets/reports-password.txt"))
  skip_final_snapshot = true
}
