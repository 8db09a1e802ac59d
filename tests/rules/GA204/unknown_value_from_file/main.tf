# file() is not evaluated: the key may be committed beside the code or written by CI before apply.
# expect: unknown aws_api_gateway_api_key.partner
resource "aws_api_gateway_api_key" "partner" {
  name  = "fitness-partner"
  value = file("${path.module}/partner-key.txt")
}
