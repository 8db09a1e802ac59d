resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_iam_policy" "read_key" {
  name = "read-api-key"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = "arn:aws:secretsmanager:us-east-1:123456789012:secret:items/api-key-AbCdEf" }]
  })
}

# A customer-managed policy: GA302 reads its statements.
# expect: passed aws_iam_role_policy_attachment.read_key
resource "aws_iam_role_policy_attachment" "read_key" {
  role       = aws_iam_role.authorizer.name
  policy_arn = aws_iam_policy.read_key.arn
}
