variable "role_name" {
  type = string
}

# A broad policy for a role this configuration does not show: cannot tell whether Lambda assumes it.
# expect: unknown aws_iam_role_policy.broad
resource "aws_iam_role_policy" "broad" {
  role = var.role_name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:*", Resource = "*" }]
  })
}

# Narrow, whatever the role: nothing to report.
resource "aws_iam_role_policy" "narrow" {
  role = var.role_name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "xray:PutTraceSegments", Resource = "*" }]
  })
}
