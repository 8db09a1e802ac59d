# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "api_key" {
  api_id                            = aws_apigatewayv2_api.http.id
  name                              = "api-key"
  authorizer_type                   = "REQUEST"
  identity_sources                  = ["$request.header.x-api-key"]
  authorizer_uri                    = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
  authorizer_payload_format_version = "2.0"
}

# One instance per route: only "health" is open.
module "routes" {
  source   = "./modules/route"
  for_each = {
    orders = { route_key = "GET /orders", authorization_type = "CUSTOM" }
    # The open route fails here, at the entry that writes it.
    # expect: failed module.routes["health"].aws_apigatewayv2_route.this
    health = { route_key = "GET /health", authorization_type = "NONE" }
    users  = { route_key = "POST /users", authorization_type = "CUSTOM" }
  }

  api_id             = aws_apigatewayv2_api.http.id
  route_key          = each.value.route_key
  authorization_type = each.value.authorization_type
  authorizer_id      = each.value.authorization_type == "CUSTOM" ? aws_apigatewayv2_authorizer.api_key.id : null
}

# count = 0: no instance, so its open route is never created and nothing in it is judged.
module "legacy" {
  source             = "./modules/route"
  count              = 0
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "GET /legacy"
  authorization_type = "NONE"
}
