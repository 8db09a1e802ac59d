resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# expect: passed aws_iam_role_policy_attachment.power_user
resource "aws_iam_role_policy_attachment" "power_user" {
  role       = aws_iam_role.authorizer.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}

# expect: failed aws_iam_role_policy_attachment.power_user_gov
resource "aws_iam_role_policy_attachment" "power_user_gov" {
  role       = aws_iam_role.authorizer.name
  policy_arn = "arn:aws-us-gov:iam::aws:policy/PowerUserAccess"
}

data "aws_iam_policy" "power_user" {
  name = "PowerUserAccess"
}

# expect: failed aws_iam_role_policy_attachment.power_user_by_name
resource "aws_iam_role_policy_attachment" "power_user_by_name" {
  role       = aws_iam_role.authorizer.name
  policy_arn = data.aws_iam_policy.power_user.arn
}

# expect: failed aws_iam_role_policy_attachment.admin
resource "aws_iam_role_policy_attachment" "admin" {
  role       = aws_iam_role.authorizer.name
  policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
}
