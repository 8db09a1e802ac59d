# Two APIs of the account share this name; the tags tell which one this code deploys.
resource "aws_api_gateway_rest_api" "api" {
  name = "gateaudit-rest"
  tags = {
    team = "payments"
  }
}
