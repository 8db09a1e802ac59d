resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

# Format 1.0 with IAM policy responses (the REST-compatible format) is fine.
# expect: passed aws_apigatewayv2_authorizer.api_key
resource "aws_apigatewayv2_authorizer" "api_key" {
  api_id                            = aws_apigatewayv2_api.http.id
  name                              = "api-key"
  authorizer_type                   = "REQUEST"
  identity_sources                  = ["$request.header.x-api-key"]
  authorizer_uri                    = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fitness-authorizer/invocations"
  authorizer_payload_format_version = "1.0"
}
