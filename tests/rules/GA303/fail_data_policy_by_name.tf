resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

data "aws_iam_policy" "admin" {
  name = "AdministratorAccess"
}

# The ARN is read at plan time; the data source's name says which policy it is.
# expect: failed aws_iam_role_policy_attachment.admin
resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.authorizer.name
  policy_arn = data.aws_iam_policy.admin.arn
}
