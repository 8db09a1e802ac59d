# source_account narrows to one account, but every API of that account may still invoke it.
# expect: failed aws_lambda_permission.apigw
resource "aws_lambda_permission" "apigw" {
  action         = "lambda:InvokeFunction"
  function_name  = "items-backend"
  principal      = "apigateway.amazonaws.com"
  source_account = "123456789012"
}
