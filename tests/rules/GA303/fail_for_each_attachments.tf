resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# Each instance is judged on its own: only the AdministratorAccess one fails.
# expect: passed aws_iam_role_policy_attachment.this["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"]
# expect: failed aws_iam_role_policy_attachment.this["arn:aws:iam::aws:policy/AdministratorAccess"]
resource "aws_iam_role_policy_attachment" "this" {
  for_each = toset([
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/AdministratorAccess",
  ])
  role       = aws_iam_role.authorizer.name
  policy_arn = each.value
}
