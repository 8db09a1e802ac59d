data "aws_partition" "current" {}

resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# The partition is known only at plan time; the policy's name is not in doubt.
# expect: passed aws_iam_role_policy_attachment.logs
resource "aws_iam_role_policy_attachment" "logs" {
  role       = aws_iam_role.authorizer.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}
