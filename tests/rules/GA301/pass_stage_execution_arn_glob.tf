resource "aws_api_gateway_rest_api" "api" {
  name = "items"
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"
}

# A stage's execution_arn ends in the stage name: "*" right after it widens the stage name only
# (prod, prod-canary), never the API id.
# expect: passed aws_lambda_permission.backend
resource "aws_lambda_permission" "backend" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_stage.prod.execution_arn}*"
}
