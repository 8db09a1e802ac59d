# expect: passed provider.aws.bootstrap
provider "aws" {
  alias  = "bootstrap"
  region = "eu-west-1"
}

data "aws_secretsmanager_secret_version" "audit" {
  provider  = aws.bootstrap
  secret_id = "fitness/audit-deployer"
}

# Credentials read from Secrets Manager at apply time are not literals: they pass, they are not unknown.
# expect: passed provider.aws.audit
provider "aws" {
  alias      = "audit"
  region     = "eu-west-1"
  access_key = jsondecode(data.aws_secretsmanager_secret_version.audit.secret_string)["access_key"]
  secret_key = jsondecode(data.aws_secretsmanager_secret_version.audit.secret_string)["secret_key"]
}
