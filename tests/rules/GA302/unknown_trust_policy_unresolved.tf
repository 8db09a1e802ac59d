variable "trust_policy" {
  type = string
}

# Whether Lambda assumes this role cannot be read, and no function in the stack names it.
resource "aws_iam_role" "worker" {
  name               = "worker"
  assume_role_policy = var.trust_policy
}

# expect: unknown aws_iam_role_policy.worker
resource "aws_iam_role_policy" "worker" {
  role = aws_iam_role.worker.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:*", Resource = "*" }]
  })
}
