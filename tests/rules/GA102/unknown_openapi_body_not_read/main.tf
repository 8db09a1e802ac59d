# The spec file lies outside the repository: it is not read, and the routes it would define are unknown.
# expect: passed aws_apigatewayv2_api.outside
resource "aws_apigatewayv2_api" "outside" {
  name          = "outside"
  protocol_type = "HTTP"
  # expect: unknown aws_apigatewayv2_api.outside
  body          = file("/etc/hostname")
}

# Not an OpenAPI document: a YAML file of another kind.
# expect: passed aws_apigatewayv2_api.other
resource "aws_apigatewayv2_api" "other" {
  name          = "other"
  protocol_type = "HTTP"
  # expect: unknown aws_apigatewayv2_api.other
  body          = file("${path.module}/settings.yaml")
}
