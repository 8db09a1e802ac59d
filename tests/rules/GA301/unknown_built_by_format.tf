resource "aws_api_gateway_rest_api" "api" {
  name = "items"
}

# format() around the execution ARN: gateaudit does not see what it appends (here "*", which would widen
# the API id), so the value is not read as the bare execution_arn.
# expect: unknown
resource "aws_lambda_permission" "glued" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = format("%s*", aws_api_gateway_rest_api.api.execution_arn)
}

# expect: unknown
resource "aws_lambda_permission" "joined" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = join("/", [aws_api_gateway_rest_api.api.execution_arn, "*", "*"])
}
