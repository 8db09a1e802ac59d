# AWS's documented example keys, written into the provider: one failure for each.
# expect: failed provider.aws
# expect: failed provider.aws
provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
  secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}
