variable "invoker" {
  type = string
}

# expect: unknown aws_lambda_permission.invoke
resource "aws_lambda_permission" "invoke" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = var.invoker
}
