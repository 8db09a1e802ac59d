resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

data "aws_iam_policy_document" "authorizer" {
  statement {
    actions   = ["*"]
    resources = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:items/api-key-AbCdEf"]
  }
}

# Action "*" is every action of every service, even on a single resource.
# expect: failed aws_iam_role_policy.authorizer
resource "aws_iam_role_policy" "authorizer" {
  role   = aws_iam_role.authorizer.id
  policy = data.aws_iam_policy_document.authorizer.json
}
