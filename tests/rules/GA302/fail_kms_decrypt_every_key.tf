resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# kms:Decrypt on every key decrypts every SecureString parameter and every secret encrypted with a customer key.
# expect: failed aws_iam_role_policy.decrypt
resource "aws_iam_role_policy" "decrypt" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["logs:PutLogEvents", "kms:Decrypt"], Resource = "*" }]
  })
}

# kms:* covers kms:Decrypt; a key ARN pattern with a wildcard for the key is every key.
# expect: failed aws_iam_role_policy.kms_star
resource "aws_iam_role_policy" "kms_star" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "kms:*", Resource = "arn:aws:kms:*:123456789012:key/*" }]
  })
}

# ForAllValues is true when the request has no encryption context at all: it scopes nothing.
# expect: failed aws_iam_role_policy.for_all_values
resource "aws_iam_role_policy" "for_all_values" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "kms:Decrypt"
      Resource  = "*"
      Condition = { "ForAllValues:StringEquals" = { "kms:EncryptionContextKeys" = ["tenant"] } }
    }]
  })
}

# A negated condition allows every other service: it scopes nothing.
# expect: failed aws_iam_role_policy.not_equals
resource "aws_iam_role_policy" "not_equals" {
  role = aws_iam_role.authorizer.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "kms:Decrypt"
      Resource  = "*"
      Condition = { StringNotEquals = { "kms:ViaService" = "s3.us-east-1.amazonaws.com" } }
    }]
  })
}
