variable "trust_policy" {
  type = string
}

# Its trust policy cannot be read, but a Lambda function runs with it: a Lambda role.
resource "aws_iam_role" "worker" {
  name               = "worker"
  assume_role_policy = var.trust_policy
}

resource "aws_lambda_function" "worker" {
  function_name = "worker"
  role          = aws_iam_role.worker.arn
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "worker.zip"
}

# expect: failed aws_iam_role_policy_attachment.worker
resource "aws_iam_role_policy_attachment" "worker" {
  role       = aws_iam_role.worker.name
  policy_arn = "arn:aws:iam::aws:policy/PowerUserAccess"
}
