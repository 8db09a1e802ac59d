# ignore_changes keeps Terraform from resetting the value, but this literal is a credential itself: it is in
# the repository, every plan and the state the first time it is applied.
# expect: failed aws_ssm_parameter.api_key
resource "aws_ssm_parameter" "api_key" {
  name  = "/fitness/api-key"
  type  = "SecureString"
  value = "AKIAIOSFODNN7EXAMPLE"

  lifecycle {
    ignore_changes = [value]
  }
}

# Another argument's changes are ignored, not value's: the literal stays what is deployed.
# expect: failed aws_ssm_parameter.token
resource "aws_ssm_parameter" "token" {
  name  = "/fitness/token"
  type  = "SecureString"
  value = "placeholder"

  lifecycle {
    ignore_changes = [tags]
  }
}
