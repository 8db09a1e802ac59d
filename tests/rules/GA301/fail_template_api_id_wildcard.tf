data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

# Region and account are unknown until plan, but the API id is "*" whatever they are.
# expect: failed aws_lambda_permission.apigw
resource "aws_lambda_permission" "apigw" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "arn:aws:execute-api:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:*/*/GET/items"
}
