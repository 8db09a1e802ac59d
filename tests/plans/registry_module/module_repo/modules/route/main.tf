variable "rest_api_id" {
  type = string
}

variable "parent_id" {
  type = string
}

variable "path_part" {
  type = string
}

variable "authorizer_id" {
  type = string
}

resource "aws_api_gateway_resource" "this" {
  rest_api_id = var.rest_api_id
  parent_id   = var.parent_id
  path_part   = var.path_part
}

# Open on purpose: the fixture's finding.
resource "aws_api_gateway_method" "get" {
  rest_api_id   = var.rest_api_id
  resource_id   = aws_api_gateway_resource.this.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_method" "post" {
  rest_api_id   = var.rest_api_id
  resource_id   = aws_api_gateway_resource.this.id
  http_method   = "POST"
  authorization = "CUSTOM"
  authorizer_id = var.authorizer_id
}

output "resource_id" {
  value = aws_api_gateway_resource.this.id
}
