variable "partner_key" {
  type      = string
  sensitive = true
}

# expect: passed aws_api_gateway_api_key.partner
resource "aws_api_gateway_api_key" "partner" {
  name  = "fitness-partner"
  value = var.partner_key
}
