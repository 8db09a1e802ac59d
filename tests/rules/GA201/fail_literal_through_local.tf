locals {
  credentials = {
    username = "fitness"
    password = "Tr0ub4dor-and-3"
  }
}

resource "aws_secretsmanager_secret" "db" {
  name = "prod/fitness/db"
}

# The literal comes through a local: still written in the configuration.
# expect: failed aws_secretsmanager_secret_version.db
resource "aws_secretsmanager_secret_version" "db" {
  secret_id     = aws_secretsmanager_secret.db.id
  secret_string = jsonencode(local.credentials)
}
