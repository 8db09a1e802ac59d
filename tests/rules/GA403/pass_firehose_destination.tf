resource "aws_apigatewayv2_api" "ws" {
  name                       = "items-ws"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_s3_bucket" "logs" {
  bucket = "items-ws-access-logs-123456789012"
}

resource "aws_iam_role" "firehose" {
  name = "items-ws-firehose"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "firehose.amazonaws.com" }
    }]
  })
}

resource "aws_kinesis_firehose_delivery_stream" "access" {
  name        = "amazon-apigateway-items-ws"
  destination = "extended_s3"

  extended_s3_configuration {
    role_arn   = aws_iam_role.firehose.arn
    bucket_arn = aws_s3_bucket.logs.arn
  }
}

# Access logs may go to a Firehose stream as well as to a log group.
# expect: passed aws_apigatewayv2_stage.prod
resource "aws_apigatewayv2_stage" "prod" {
  api_id = aws_apigatewayv2_api.ws.id
  name   = "prod"

  access_log_settings {
    destination_arn = aws_kinesis_firehose_delivery_stream.access.arn
    format          = "$context.requestId $context.eventType $context.status"
  }
}
