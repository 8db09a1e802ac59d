resource "aws_apigatewayv2_api" "http" {
  name          = "items-http"
  protocol_type = "HTTP"
}

resource "aws_s3_bucket" "logs" {
  bucket = "items-http-access-logs-123456789012"
}

# A valid ARN, but of a bucket: API Gateway writes access logs only to CloudWatch Logs or Firehose.
# expect: failed aws_apigatewayv2_stage.default
resource "aws_apigatewayv2_stage" "default" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_s3_bucket.logs.arn
    format          = "$context.requestId $context.status"
  }
}
