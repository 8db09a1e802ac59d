variable "name" {
  type = string
}

variable "secret_actions" {
  type    = list(string)
  default = ["secretsmanager:GetSecretValue"]
}

resource "aws_iam_role" "this" {
  name = var.name
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# The caller's "secretsmanager:*" replaces the default through the module input.
# expect: failed module.authorizer_role.aws_iam_role_policy.this
resource "aws_iam_role_policy" "this" {
  role = aws_iam_role.this.id
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = var.secret_actions, Resource = "*" }]
  })
}
