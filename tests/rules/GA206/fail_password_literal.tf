# expect: failed aws_db_instance.reports
resource "aws_db_instance" "reports" {
  identifier          = "fitness-reports"
  engine              = "postgres"
  instance_class      = "db.t4g.micro"
  allocated_storage   = 20
  username            = "reports"
  password            = "Tr0ub4dor-and-3"
  skip_final_snapshot = true
}

locals {
  auth_token = "redis-auth-token-2024-Qm8"
}

# Through a local: still written in the configuration.
# expect: failed aws_elasticache_replication_group.sessions
resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id       = "fitness-sessions"
  description                = "sessions"
  node_type                  = "cache.t4g.micro"
  transit_encryption_enabled = true
  auth_token                 = local.auth_token
}

# Sensitive too, but judged by GA204 and GA207 (they fail there), not here: one value, one result.
resource "aws_api_gateway_api_key" "partner" {
  name  = "partner"
  value = "pk-8d7f6e5c4b3a29181716151413121110"
}

resource "aws_ssm_parameter" "db_password" {
  name  = "/fitness/db/password"
  type  = "SecureString"
  value = "ssm-Passw0rd-2024"
}

variable "reports_user" {
  type = string
}

# The literal text of a template around a value given at apply time is written in the configuration.
# expect: failed aws_datasync_location_smb.reports
resource "aws_datasync_location_smb" "reports" {
  server_hostname = "reports.internal"
  subdirectory    = "/exports"
  user            = var.reports_user
  password        = "${var.reports_user}-Tr0ub4dor-and-3"
  agent_arns      = ["arn:aws:datasync:eu-west-1:123456789012:agent/agent-0b1d5b2a3c4d5e6f7"]
}
