# Credentials come from the environment, a profile, SSO or the assumed role.
# expect: passed provider.aws
provider "aws" {
  region = "eu-west-1"

  assume_role {
    role_arn     = "arn:aws:iam::123456789012:role/fitness-deploy"
    session_name = "terraform"
  }
}

# expect: passed provider.aws.ops
provider "aws" {
  alias   = "ops"
  region  = "eu-west-1"
  profile = "fitness-ops"
}
