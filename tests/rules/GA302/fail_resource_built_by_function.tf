data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

resource "aws_secretsmanager_secret" "api_key" {
  name = "items/api-key"
}

resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# format() builds "secret:*" (every secret) around values known at plan time: the result is not the bare
# data source attribute, and must not pass for a specific ARN.
# expect: failed aws_iam_role_policy.format
resource "aws_iam_role_policy" "format" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = format("arn:aws:secretsmanager:%s:%s:secret:*", data.aws_region.current.name, data.aws_caller_identity.current.account_id)
    }]
  })
}

# concat() adds "*" beside the secret's ARN; the list is known only in part after apply.
# expect: failed aws_iam_role_policy.concat
resource "aws_iam_role_policy" "concat" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:GetSecretValue"
      Resource = concat([aws_secretsmanager_secret.api_key.arn], ["*"])
    }]
  })
}
