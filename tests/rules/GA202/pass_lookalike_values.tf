# Names with KEY/TOKEN/SECRET in them, values that are no credentials: KMS key ARN, id and alias, a header
# name, URLs without credentials, booleans, numbers, a generated physical id, table names.
# expect: passed aws_lambda_function.backend
resource "aws_lambda_function" "backend" {
  function_name = "fitness-backend"
  role          = "arn:aws:iam::123456789012:role/fitness-backend"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "backend.zip"

  environment {
    variables = {
      KMS_KEY_ID               = "1234abcd-12ab-34cd-56ef-1234567890ab"
      DATA_KEY_ARN             = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
      KMS_KEY                  = "alias/fitness-data"
      SIGNING_KEY              = "alias/fitness-signing"
      API_KEY_HEADER           = "x-api-key"
      API_KEY_REQUIRED         = "true"
      AUTH_TOKEN               = "https://auth.example.com/oauth2/token"
      TOKEN_ENDPOINT           = "https://auth.example.com/oauth2/token"
      SECRET_CACHE_TTL_SECONDS = 300
      API_KEY_VERSION          = "2"
      PARTITION_KEY            = "tenant_id"
      TABLE_NAME               = "fitness-items"
      UPSTREAM_FUNCTION        = "FitnessApiStack-AuthorizerFunction-7Hx2KqP9LmZ3"
      SESSION_TOKEN            = ""
    }
  }
}

# No environment at all: nothing to judge, no result.
resource "aws_lambda_function" "health" {
  function_name = "fitness-health"
  role          = "arn:aws:iam::123456789012:role/fitness-health"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "health.zip"
}
