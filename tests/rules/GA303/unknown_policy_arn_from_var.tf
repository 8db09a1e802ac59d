variable "extra_policy_arn" {
  type = string
}

resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# expect: unknown aws_iam_role_policy_attachment.extra
resource "aws_iam_role_policy_attachment" "extra" {
  role       = aws_iam_role.authorizer.name
  policy_arn = var.extra_policy_arn
}
