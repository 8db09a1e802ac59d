provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

# A Lambda@Edge function (published, associated with a CloudFront distribution): it logs to
# /aws/lambda/us-east-1.edge-headers in each region where it runs.
resource "aws_lambda_function" "edge" {
  provider      = aws.us_east_1
  function_name = "edge-headers"
  role          = "arn:aws:iam::123456789012:role/edge-headers"
  runtime       = "nodejs20.x"
  handler       = "index.handler"
  filename      = "edge.zip"
  publish       = true
}

# expect: passed aws_cloudwatch_log_group.edge
resource "aws_cloudwatch_log_group" "edge" {
  name              = "/aws/lambda/us-east-1.edge-headers"
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
      lambda_arn = aws_lambda_function.edge.qualified_arn
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
