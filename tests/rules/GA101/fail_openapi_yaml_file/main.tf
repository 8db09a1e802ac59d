# The REST API's routes are defined by an OpenAPI document beside the configuration: each path and verb is
# judged at its line in openapi.yaml.
resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
  body = file("${path.module}/openapi.yaml")
}
