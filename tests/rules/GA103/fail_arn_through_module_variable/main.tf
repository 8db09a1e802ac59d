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

# The caller hands the module the function's .arn where an invocation URI belongs.
module "authorizer" {
  source         = "./modules/authorizer"
  rest_api_id    = aws_api_gateway_rest_api.api.id
  authorizer_uri = aws_lambda_function.authorizer.arn
}
