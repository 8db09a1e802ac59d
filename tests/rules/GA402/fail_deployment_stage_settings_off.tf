resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
}

# The deployment creates stage "prod"; the settings below name it by API and literal name, and turn
# logging OFF: the settings carry the failure, the stage is covered by them.
resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "prod"
}

# expect: failed aws_api_gateway_method_settings.all
resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = "prod"
  method_path = "*/*"

  settings {
    logging_level = "OFF"
  }

  depends_on = [aws_api_gateway_deployment.api]
}
