resource "aws_iam_role" "backend" {
  name = "backend"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# The result is on the policy: that is where the statements are written.
# expect: passed aws_iam_policy.traces
resource "aws_iam_policy" "traces" {
  name = "backend-traces"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource = "*" }]
  })
}

resource "aws_iam_role_policy_attachment" "traces" {
  role       = aws_iam_role.backend.name
  policy_arn = aws_iam_policy.traces.arn
}

# Not attached to any role of the stack: not judged.
resource "aws_iam_policy" "unused" {
  name = "unused"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
  })
}
