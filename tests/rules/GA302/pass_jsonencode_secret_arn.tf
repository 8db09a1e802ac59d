resource "aws_iam_role" "authorizer" {
  name = "authorizer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "items/api-key"
}

# The usual case: the secret's ARN is known only after apply, so jsonencode(...) is known only in part.
# expect: passed aws_iam_role_policy.authorizer
resource "aws_iam_role_policy" "authorizer" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = aws_secretsmanager_secret.api_key.arn
    }]
  })
}
