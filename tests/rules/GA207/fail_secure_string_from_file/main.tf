# expect: failed aws_ssm_parameter.db_password
resource "aws_ssm_parameter" "db_password" {
  name  = "/fitness/db/password"
  type  = "SecureString"
  value = trimspace(file("${path.module}/secrets/db-password.txt"))
}
