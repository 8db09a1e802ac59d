resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# Any wildcard that covers secretsmanager:GetSecretValue fails, whatever the resource.
# expect: failed aws_iam_role_policy.get_star
resource "aws_iam_role_policy" "get_star" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["logs:PutLogEvents", "secretsmanager:Get*"]
      Resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:items/api-key-AbCdEf"
    }]
  })
}

# expect: failed aws_iam_role_policy.any_service
resource "aws_iam_role_policy" "any_service" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*:GetSecretValue", Resource = "*" }]
  })
}

# Action names are case-insensitive.
# expect: failed aws_iam_role_policy.upper_case
resource "aws_iam_role_policy" "upper_case" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "SecretsManager:*", Resource = "*" }]
  })
}
