resource "aws_iam_policy" "traces" {
  name = "traces"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "xray:PutTraceSegments", Resource = "*" }]
  })
}

# concat() of this stack's policy ARN (known after apply) and a managed ARN: the list is not the
# customer-managed policy it names first, so it cannot pass as one.
# expect: failed aws_iam_role.authorizer
resource "aws_iam_role" "authorizer" {
  name                = "authorizer-role"
  managed_policy_arns = concat([aws_iam_policy.traces.arn], ["arn:aws:iam::aws:policy/AdministratorAccess"])
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}
