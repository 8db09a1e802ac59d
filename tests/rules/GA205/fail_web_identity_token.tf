# A literal OIDC token for assume_role_with_web_identity: use web_identity_token_file instead.
# expect: failed provider.aws
provider "aws" {
  region = "eu-west-1"

  assume_role_with_web_identity {
    role_arn           = "arn:aws:iam::123456789012:role/fitness-deploy"
    session_name       = "ci"
    web_identity_token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJyZXBvOmZpdG5lc3MifQ.c2lnbmF0dXJlLW5vdC1yZWFs"
  }
}
