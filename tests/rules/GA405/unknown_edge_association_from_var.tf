provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

# The association names its function through a variable with no value: which function is the Lambda@Edge one
# cannot be told, and a published function may be it.
# expect: unknown aws_lambda_function.edge
resource "aws_lambda_function" "edge" {
  provider      = aws.us_east_1
  function_name = "edge-headers"
  role          = "arn:aws:iam::123456789012:role/edge-headers"
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  filename      = "edge.zip"
  publish       = true
}

resource "aws_cloudwatch_log_group" "edge" {
  name              = "/aws/lambda/edge-headers"
  retention_in_days = 30
}

resource "aws_cloudfront_distribution" "cdn" {
  enabled = true

  origin {
    domain_name = "example.com"
    origin_id   = "site"
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    target_origin_id       = "site"
    viewer_protocol_policy = "redirect-to-https"
    cache_policy_id        = "658327ea-f89d-4fab-a63d-7e88639e58f6"

    lambda_function_association {
      event_type = "viewer-response"
      lambda_arn = var.edge_arn
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}

variable "edge_arn" {
  type = string
}

# Not published: no version of it can be associated with a distribution, so it is judged as any function.
resource "aws_lambda_function" "other" {
  function_name = "other"
  role          = "arn:aws:iam::123456789012:role/other"
  runtime       = "python3.12"
  handler       = "index.handler"
  filename      = "other.zip"
}

# expect: passed aws_cloudwatch_log_group.other
resource "aws_cloudwatch_log_group" "other" {
  name              = "/aws/lambda/other"
  retention_in_days = 30
}
