# The result is on the role: managed_policy_arns is its argument.
# expect: failed aws_iam_role.backend
resource "aws_iam_role" "backend" {
  name = "backend"
  managed_policy_arns = [
    "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    "arn:aws:iam::aws:policy/PowerUserAccess",
  ]
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}
