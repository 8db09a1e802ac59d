variable "role_name" {
  type = string
}

variable "policy_arn" {
  type = string
}

# Neither the role nor the policy is known: it may attach AdministratorAccess to a Lambda role.
# expect: unknown aws_iam_role_policy_attachment.extra
resource "aws_iam_role_policy_attachment" "extra" {
  role       = var.role_name
  policy_arn = var.policy_arn
}
