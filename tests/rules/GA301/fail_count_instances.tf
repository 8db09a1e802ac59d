# Each instance is judged on its own address.
# expect: failed aws_lambda_permission.apigw[0]
# expect: failed aws_lambda_permission.apigw[1]
resource "aws_lambda_permission" "apigw" {
  count         = 2
  action        = "lambda:InvokeFunction"
  function_name = "items-backend-${count.index}"
  principal     = "apigateway.amazonaws.com"
}
