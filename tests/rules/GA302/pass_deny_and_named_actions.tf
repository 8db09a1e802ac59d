resource "aws_iam_role" "backend" {
  name = "backend"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# A Deny of everything takes nothing away from least privilege; Describe* does not read secret values,
# and a trailing wildcard on the secret name covers only the random suffix Secrets Manager adds.
# expect: passed aws_iam_role_policy.backend
resource "aws_iam_role_policy" "backend" {
  role = aws_iam_role.backend.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Deny", Action = "*", Resource = "*", Condition = { Bool = { "aws:SecureTransport" = "false" } } },
      { Effect = "Allow", Action = ["secretsmanager:Describe*", "secretsmanager:ListSecrets"], Resource = "*" },
      {
        Effect   = "Allow"
        Action   = "secretsmanager:GetSecretValue"
        Resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:items/api-key-*"
      },
    ]
  })
}
