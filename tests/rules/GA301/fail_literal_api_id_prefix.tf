# A wildcard inside the API id still matches other APIs: "abc*" is every id starting with abc.
# expect: failed aws_lambda_permission.apigw
resource "aws_lambda_permission" "apigw" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "arn:aws:execute-api:us-east-1:123456789012:abc*/*/GET/items"
}
