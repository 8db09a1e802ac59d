data "aws_region" "current" {}

data "aws_partition" "current" {}

resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_lambda_function" "authorizer" {
  function_name = "fitness-authorizer"
  role          = "arn:aws:iam::123456789012:role/fitness-authorizer"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}

# The invocation URI written out around the function's .arn is as good as .invoke_arn.
# expect: passed aws_api_gateway_authorizer.api_key
resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = "arn:${data.aws_partition.current.partition}:apigateway:${data.aws_region.current.name}:lambda:path/2015-03-31/functions/${aws_lambda_function.authorizer.arn}/invocations"
}
