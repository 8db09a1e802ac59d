locals {
  items_source_arn = "${aws_api_gateway_rest_api.api.execution_arn}/*/GET/items"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "items"
}

# expect: passed aws_lambda_permission.backend
resource "aws_lambda_permission" "backend" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = local.items_source_arn
}
