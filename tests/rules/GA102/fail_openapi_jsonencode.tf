# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
  body = jsonencode({
    openapi = "3.0.1"
    info    = { title = "fitness", version = "1.0" }
    components = {
      securitySchemes = {
        sigv4 = { type = "apiKey", name = "Authorization", in = "header", "x-amazon-apigateway-authtype" = "awsSigv4" }
      }
    }
    paths = {
      # expect: failed aws_apigatewayv2_api.http GET /workouts
      "/workouts" = {
        get = {
          "x-amazon-apigateway-integration" = {
            type                 = "aws_proxy"
            httpMethod           = "POST"
            uri                  = "arn:aws:lambda:us-east-1:123456789012:function:workouts"
            payloadFormatVersion = "2.0"
          }
        }
      }
      # expect: passed aws_apigatewayv2_api.http GET /reports
      "/reports" = {
        get = { security = [{ sigv4 = [] }] }
      }
    }
  })
}
