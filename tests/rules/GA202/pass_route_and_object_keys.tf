# Names ending in KEY or AUTH whose values are a route key, an S3 object key, a file name or a word that
# means "none": judged by name and value, none is a credential.
# expect: passed aws_lambda_function.router
resource "aws_lambda_function" "router" {
  function_name = "fitness-router"
  role          = "arn:aws:iam::123456789012:role/fitness-router"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "router.zip"

  environment {
    variables = {
      ROUTE_KEY         = "GET /orders/{id}"
      DEFAULT_ROUTE_KEY = "$default"
      SOURCE_KEY        = "authorizer-1.4.2.zip"
      CONFIG_KEY        = "settings.json"
      UPSTREAM_AUTH     = "none"
      LEGACY_API_KEY    = "disabled"
    }
  }
}
