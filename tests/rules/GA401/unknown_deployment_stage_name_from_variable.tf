variable "stage" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
}

# var.stage has no value: whether the deployment creates a stage (a name, or null) is not in the code.
# expect: unknown aws_api_gateway_deployment.api
resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = var.stage
}
