# An HTTP API whose routes come from a module called with for_each over a map (one route open, the others
# behind a JWT or a Lambda authorizer) and whose stages come from a module called with count = 2.
# scripts/make_plans.py plans it into ../for_each_modules.plan.json.
provider "aws" {
  region = "eu-west-1"
}

locals {
  routes = {
    "GET /health" = { authorization_type = "NONE", authorizer = null }
    "GET /items"  = { authorization_type = "JWT", authorizer = "jwt" }
    "POST /items" = { authorization_type = "CUSTOM", authorizer = "lambda" }
  }
}

resource "aws_apigatewayv2_api" "api" {
  name          = "for-each-modules"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.api.id
  name             = "jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    audience = ["items"]
    issuer   = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_example"
  }
}

resource "aws_apigatewayv2_authorizer" "lambda" {
  api_id                            = aws_apigatewayv2_api.api.id
  name                              = "api-key"
  authorizer_type                   = "REQUEST"
  authorizer_uri                    = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:api-key-authorizer/invocations"
  identity_sources                  = ["$request.header.x-api-key"]
  authorizer_payload_format_version = "2.0"
  enable_simple_responses           = true
}

module "route" {
  source   = "./modules/route"
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.api.id
  route_key          = each.key
  authorization_type = each.value.authorization_type
  authorizer_id      = each.value.authorizer == null ? null : (each.value.authorizer == "jwt" ? aws_apigatewayv2_authorizer.jwt.id : aws_apigatewayv2_authorizer.lambda.id)
}

module "stage" {
  source = "./modules/stage"
  count  = 2

  api_id = aws_apigatewayv2_api.api.id
  name   = ["dev", "prod"][count.index]
}
