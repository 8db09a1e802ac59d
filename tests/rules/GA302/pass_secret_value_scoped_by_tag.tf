resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# Every secret, but only those tagged app = fitness.
# expect: passed aws_iam_role_policy.tagged
resource "aws_iam_role_policy" "tagged" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "secretsmanager:GetSecretValue"
      Resource  = "*"
      Condition = { StringEquals = { "secretsmanager:ResourceTag/app" = "fitness" } }
    }]
  })
}
