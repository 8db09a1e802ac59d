locals {
  partner_keys = {
    acme = "acme-partner-key-0123456789abcdef"
  }
}

# expect: failed aws_api_gateway_api_key.acme
resource "aws_api_gateway_api_key" "acme" {
  name  = "fitness-acme"
  value = local.partner_keys["acme"]
}
