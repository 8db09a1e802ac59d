data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "authorizer" {
  name               = "authorizer"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "items/api-key"
}

resource "aws_cloudwatch_log_group" "authorizer" {
  name = "/aws/lambda/authorizer"
}

# The reference stack's policy: one secret, one log group, and X-Ray (which has no resource-level
# permissions, so "*" there is the least privilege there is).
data "aws_iam_policy_document" "authorizer" {
  statement {
    sid       = "ReadApiKey"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.api_key.arn]
  }
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.authorizer.arn}:*"]
  }
  statement {
    sid       = "WriteTraces"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

# expect: passed aws_iam_role_policy.authorizer
resource "aws_iam_role_policy" "authorizer" {
  name   = "least-privilege"
  role   = aws_iam_role.authorizer.id
  policy = data.aws_iam_policy_document.authorizer.json
}
