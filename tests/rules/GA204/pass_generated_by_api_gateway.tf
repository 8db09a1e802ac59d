# No value: API Gateway generates the key.
# expect: passed aws_api_gateway_api_key.partner
resource "aws_api_gateway_api_key" "partner" {
  name        = "fitness-partner"
  description = "Usage-plan key of the partner integration."
}
