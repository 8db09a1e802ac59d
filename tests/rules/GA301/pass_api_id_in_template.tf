data "aws_region" "current" {}

data "aws_caller_identity" "current" {}

resource "aws_api_gateway_rest_api" "api" {
  name = "items"
}

# Region and account known only at plan time; the API id is this API's.
# expect: passed aws_lambda_permission.backend
resource "aws_lambda_permission" "backend" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "arn:aws:execute-api:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:${aws_api_gateway_rest_api.api.id}/*/GET/items"
}
