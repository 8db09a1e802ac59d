resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# The exclusive attachment resource sets the role's whole list of managed policies.
# expect: failed aws_iam_role_policy_attachments_exclusive.authorizer
resource "aws_iam_role_policy_attachments_exclusive" "authorizer" {
  role_name = aws_iam_role.authorizer.name
  policy_arns = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/PowerUserAccess",
  ]
}
