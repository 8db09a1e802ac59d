data "aws_lambda_function" "shared" {
  function_name = "shared-authorizer"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

# A function looked up, managed by another stack.
# expect: unknown aws_api_gateway_authorizer.api_key
resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = data.aws_lambda_function.shared.invoke_arn
}
