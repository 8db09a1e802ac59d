resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_ssm_parameter" "api_key" {
  name  = "/fitness/api-key"
  type  = "SecureString"
  value = "placeholder"

  lifecycle {
    ignore_changes = [value]
  }
}

# expect: passed aws_iam_role_policy.one_parameter
resource "aws_iam_role_policy" "one_parameter" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "ssm:GetParameter", Resource = aws_ssm_parameter.api_key.arn }]
  })
}

data "aws_iam_policy_document" "tagged" {
  statement {
    actions   = ["ssm:GetParameters"]
    resources = ["*"]
    condition {
      test     = "StringEquals"
      variable = "aws:ResourceTag/app"
      values   = ["fitness"]
    }
  }
}

# Every parameter, but only those tagged app = fitness.
# expect: passed aws_iam_role_policy.tagged
resource "aws_iam_role_policy" "tagged" {
  role   = aws_iam_role.authorizer.id
  policy = data.aws_iam_policy_document.tagged.json
}
