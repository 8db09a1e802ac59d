resource "aws_api_gateway_rest_api" "public" {
  name = "public"
}

resource "aws_api_gateway_rest_api" "admin" {
  name = "admin"
}

resource "aws_api_gateway_authorizer" "admin_pool" {
  name          = "admin-pool"
  rest_api_id   = aws_api_gateway_rest_api.admin.id
  type          = "COGNITO_USER_POOLS"
  provider_arns = ["arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_example"]
}

# COGNITO_USER_POOLS needs an authorizer_id like CUSTOM does: without one no user pool is checked.
# expect: failed aws_api_gateway_method.get
resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.public.id
  resource_id   = aws_api_gateway_rest_api.public.root_resource_id
  http_method   = "GET"
  authorization = "COGNITO_USER_POOLS"
}

# The user pool authorizer of another REST API never runs for this one.
# expect: failed aws_api_gateway_method.post
resource "aws_api_gateway_method" "post" {
  rest_api_id   = aws_api_gateway_rest_api.public.id
  resource_id   = aws_api_gateway_rest_api.public.root_resource_id
  http_method   = "POST"
  authorization = "COGNITO_USER_POOLS"
  authorizer_id = aws_api_gateway_authorizer.admin_pool.id
}
