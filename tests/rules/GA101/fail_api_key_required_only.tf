resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}

# An API key is for usage plans, not authentication: with no authorizer, any holder of any key of the
# usage plan calls the backend. (Checkov's CKV_AWS_59 and CKV2_AWS_70 pass this method.)
# expect: failed aws_api_gateway_method.get
resource "aws_api_gateway_method" "get" {
  rest_api_id      = aws_api_gateway_rest_api.api.id
  resource_id      = aws_api_gateway_resource.items.id
  http_method      = "GET"
  authorization    = "NONE"
  api_key_required = true
}
