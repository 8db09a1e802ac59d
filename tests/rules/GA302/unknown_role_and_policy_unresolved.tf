variable "role_name" {
  type = string
}

variable "policy_json" {
  type = string
}

# Neither the role nor the policy is known: a Lambda role may get anything from it.
# expect: unknown aws_iam_role_policy.extra
resource "aws_iam_role_policy" "extra" {
  role   = var.role_name
  policy = var.policy_json
}
