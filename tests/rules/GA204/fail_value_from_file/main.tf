# file() of a file in the repository: the key is committed beside the code, a literal.
# expect: failed aws_api_gateway_api_key.partner
resource "aws_api_gateway_api_key" "partner" {
  name  = "fitness-partner"
  value = file("${path.module}/partner-key.txt")
}
