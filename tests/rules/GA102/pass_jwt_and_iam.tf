# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  api_id           = aws_apigatewayv2_api.http.id
  name             = "cognito"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    audience = ["fitness-client"]
    issuer   = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_example"
  }
}

# expect: passed aws_apigatewayv2_route.get_profile
resource "aws_apigatewayv2_route" "get_profile" {
  api_id               = aws_apigatewayv2_api.http.id
  route_key            = "GET /profile"
  authorization_type   = "JWT"
  authorizer_id        = aws_apigatewayv2_authorizer.jwt.id
  authorization_scopes = ["profile"]
}

# expect: passed aws_apigatewayv2_route.post_sync
resource "aws_apigatewayv2_route" "post_sync" {
  api_id             = aws_apigatewayv2_api.http.id
  route_key          = "POST /sync"
  authorization_type = "AWS_IAM"
}
