resource "aws_iam_role" "authorizer" {
  name               = "authorizer"
  assume_role_policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "lambda.amazonaws.com"}}
      ]
    }
  JSON
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "items/api-key"
}

# JSON text with ${...} holes inside its strings.
# expect: passed aws_iam_role_policy.authorizer
resource "aws_iam_role_policy" "authorizer" {
  role   = aws_iam_role.authorizer.id
  policy = <<-JSON
    {
      "Version": "2012-10-17",
      "Statement": [
        {
          "Effect": "Allow",
          "Action": ["secretsmanager:GetSecretValue"],
          "Resource": "${aws_secretsmanager_secret.api_key.arn}"
        }
      ]
    }
  JSON
}
