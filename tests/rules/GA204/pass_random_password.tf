terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
    random = {
      source = "hashicorp/random"
    }
  }
}

resource "random_password" "partner_key" {
  length  = 40
  special = false
}

# expect: passed aws_api_gateway_api_key.partner
resource "aws_api_gateway_api_key" "partner" {
  name  = "fitness-partner"
  value = random_password.partner_key.result
}
