# API Gateway's CloudWatch role is assumed by apigateway.amazonaws.com, not by Lambda: not judged here.
resource "aws_iam_role" "apigateway_cloudwatch" {
  name = "apigw-cloudwatch"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "apigateway.amazonaws.com" } }]
  })
}

resource "aws_iam_role_policy" "apigateway_cloudwatch" {
  role = aws_iam_role.apigateway_cloudwatch.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "logs:*", Resource = "*" }]
  })
}

resource "aws_iam_role" "backend" {
  name = "backend"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# expect: passed aws_iam_role_policy.backend
resource "aws_iam_role_policy" "backend" {
  role = aws_iam_role.backend.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["xray:PutTraceSegments"], Resource = "*" }]
  })
}
