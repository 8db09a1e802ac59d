variable "actions" {
  type = list(string)
}

resource "aws_iam_role" "authorizer" {
  name = "authorizer-role"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

# A ${...} outside any JSON string: the whole Action list comes from a variable with no value.
# expect: unknown aws_iam_role_policy.authorizer
resource "aws_iam_role_policy" "authorizer" {
  role   = aws_iam_role.authorizer.id
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": ${jsonencode(var.actions)}, "Resource": "*"}
      ]
    }
  JSON
}
