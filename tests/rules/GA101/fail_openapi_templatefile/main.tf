variable "stage" {
  type = string
}

# The document is rendered from a template: what var.stage decides stays unknown, the routes are read.
resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
  body = templatefile("${path.module}/openapi.yaml.tpl.yml", {
    stage     = var.stage
    preflight = true
  })
}
