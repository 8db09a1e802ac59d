# The default provider is clean; the aliased one (addressed provider.aws.audit) carries a literal token.
# expect: passed provider.aws
provider "aws" {
  region = "eu-west-1"
}

# One result per credential: access_key, secret_key and token.
# expect: failed provider.aws.audit
# expect: failed provider.aws.audit
# expect: failed provider.aws.audit
provider "aws" {
  alias      = "audit"
  region     = "us-east-1"
  access_key = "ASIAIOSFODNN7EXAMPLE"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
  token      = "IQoJb3JpZ2luX2VjEXAMPLETOKENnotarealsessiontoken"
}
