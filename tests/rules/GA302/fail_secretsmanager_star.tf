resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# The seed's defect: every Secrets Manager action on every secret.
# expect: failed aws_iam_role_policy.authorizer
resource "aws_iam_role_policy" "authorizer" {
  name = "authorizer-policy"
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:*", Resource = "*" }]
  })
}
