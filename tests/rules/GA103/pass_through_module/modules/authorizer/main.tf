variable "name" {
  type = string
}

resource "aws_lambda_function" "this" {
  function_name = var.name
  role          = "arn:aws:iam::123456789012:role/${var.name}"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}

output "invoke_arn" {
  value = aws_lambda_function.this.invoke_arn
}
