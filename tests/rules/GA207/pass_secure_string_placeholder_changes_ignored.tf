# The parameter is created with a placeholder and its value put with the AWS CLI: Terraform ignores changes
# to value, and the literal is no credential. This is the fix the rule suggests.
# expect: passed aws_ssm_parameter.api_key
resource "aws_ssm_parameter" "api_key" {
  name  = "/fitness/api-key"
  type  = "SecureString"
  value = "placeholder"

  lifecycle {
    ignore_changes = [value]
  }
}
