# expect: failed aws_api_gateway_api_key.partner
resource "aws_api_gateway_api_key" "partner" {
  name  = "fitness-partner"
  value = "pk-8d7f6e5c4b3a29181716151413121110"
}
