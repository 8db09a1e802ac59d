resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# expect: failed aws_iam_policy_attachment.secrets
resource "aws_iam_policy_attachment" "secrets" {
  name       = "secrets-read-write"
  roles      = [aws_iam_role.authorizer.name]
  policy_arn = "arn:aws:iam::aws:policy/SecretsManagerReadWrite"
}
