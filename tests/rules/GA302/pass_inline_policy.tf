resource "aws_secretsmanager_secret" "api_key" {
  name = "items/api-key"
}

# The result points at the inline_policy block of the role.
resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })

  # expect: passed aws_iam_role.authorizer
  inline_policy {
    name = "read-api-key"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = aws_secretsmanager_secret.api_key.arn }]
    })
  }
}
