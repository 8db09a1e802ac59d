variable "role_name" {
  type = string
}

# AdministratorAccess on a role this configuration does not show: cannot tell whether Lambda assumes it.
# expect: unknown aws_iam_role_policy_attachment.admin
resource "aws_iam_role_policy_attachment" "admin" {
  role       = var.role_name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}

# Harmless whatever the role: nothing to report.
resource "aws_iam_role_policy_attachment" "logs" {
  role       = var.role_name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}
