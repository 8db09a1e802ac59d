resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

data "aws_iam_policy_document" "parameters" {
  statement {
    actions   = ["ssm:Get*"]
    resources = ["*"]
  }
}

# ssm:Get* covers ssm:GetParameter, GetParameters and GetParametersByPath: every parameter, SecureStrings too.
# expect: failed aws_iam_role_policy.parameters
resource "aws_iam_role_policy" "parameters" {
  role   = aws_iam_role.authorizer.id
  policy = data.aws_iam_policy_document.parameters.json
}

# expect: failed aws_iam_policy.by_path
resource "aws_iam_policy" "by_path" {
  name = "every-parameter"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ssm:GetParametersByPath", Resource = "arn:aws:ssm:*:*:parameter/*" }]
  })
}

resource "aws_iam_role_policy_attachment" "by_path" {
  role       = aws_iam_role.authorizer.name
  policy_arn = aws_iam_policy.by_path.arn
}
