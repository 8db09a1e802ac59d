resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
}

# No stage_name: the deployment creates no stage; the stage below is declared and logs.
resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/items-api-access"
  retention_in_days = 90
}

# expect: passed aws_api_gateway_stage.prod
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode({ requestId = "$context.requestId", status = "$context.status" })
  }
}
