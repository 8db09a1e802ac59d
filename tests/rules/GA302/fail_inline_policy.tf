# The result points at the inline_policy block of the role.
resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })

  # expect: failed aws_iam_role.authorizer
  inline_policy {
    name = "secrets"
    policy = jsonencode({
      Version   = "2012-10-17"
      Statement = [{ Effect = "Allow", Action = "secretsmanager:*", Resource = "*" }]
    })
  }
}
