resource "aws_api_gateway_rest_api" "api" {
  name = "items"
}

# format() glues "*" straight onto the execution ARN, which wildcards the API id itself.
# expect: failed aws_lambda_permission.glued
resource "aws_lambda_permission" "glued" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = format("%s*", aws_api_gateway_rest_api.api.execution_arn)
}

# join() builds "<execution_arn>/*/*": scoped to this API.
# expect: passed aws_lambda_permission.joined
resource "aws_lambda_permission" "joined" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = join("/", [aws_api_gateway_rest_api.api.execution_arn, "*", "*"])
}
