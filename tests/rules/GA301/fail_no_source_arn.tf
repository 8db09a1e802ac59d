# The seed's defect: any API Gateway API, in any account, may invoke the function.
# expect: failed aws_lambda_permission.apigw
resource "aws_lambda_permission" "apigw" {
  statement_id  = "AllowAPIGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = "api-key-authorizer"
  principal     = "apigateway.amazonaws.com"
}
