# expect: failed aws_iam_policy.secrets
resource "aws_iam_policy" "secrets" {
  name = "all-secrets"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:*", Resource = "*" }]
  })
}

resource "aws_iam_role" "authorizer" {
  name                = "authorizer-role"
  managed_policy_arns = [aws_iam_policy.secrets.arn]
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}
