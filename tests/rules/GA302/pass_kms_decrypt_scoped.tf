resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# Every key, but only through Secrets Manager in one region: decrypts secrets it may read, nothing else.
# expect: passed aws_iam_role_policy.via_service
resource "aws_iam_role_policy" "via_service" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "kms:Decrypt"
      Resource  = "*"
      Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.us-east-1.amazonaws.com" } }
    }]
  })
}

data "aws_iam_policy_document" "context" {
  statement {
    actions   = ["kms:Decrypt"]
    resources = ["*"]
    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:secretsmanager:arn"
      values   = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:fitness/*"]
    }
  }
}

# Every key, but only for secrets under fitness/.
# expect: passed aws_iam_role_policy.context
resource "aws_iam_role_policy" "context" {
  role   = aws_iam_role.authorizer.id
  policy = data.aws_iam_policy_document.context.json
}

resource "aws_kms_key" "api_key" {
  description = "fitness API key"
}

# expect: passed aws_iam_role_policy.one_key
resource "aws_iam_role_policy" "one_key" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:Decrypt", Resource = aws_kms_key.api_key.arn }]
  })
}
