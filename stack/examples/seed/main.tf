# DELIBERATELY INSECURE. DO NOT DEPLOY.
#
# The API-key-guarded REST API "as first drafted in a blog": valid Terraform with
# real resource types, kept as the seed that gateaudit must flag. Its defects:
#
#   1. aws_api_gateway_method.items_get has authorization = "NONE": GET /items
#      skips the authorizer altogether.
#   2. aws_lambda_permission.apigw has no source_arn: any API Gateway API, in any
#      account, may invoke the authorizer.
#   3. aws_lambda_function.authorizer runs python3.9, a deprecated runtime.
#   4. No aws_cloudwatch_log_group for the function (Lambda creates one whose
#      logs never expire) and no access_log_settings on aws_api_gateway_stage.prod.
#   5. aws_secretsmanager_secret_version.api_key stores the key as a literal in
#      secret_string: it sits in the repository, the plan and the state.
#   6. aws_iam_role_policy.authorizer allows "secretsmanager:*" on "*".
# The fixed version is ../../terraform/rest (and ../../terraform/http for an HTTP API).

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "items-api"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}

# Defect 1: no authorizer on GET.
resource "aws_api_gateway_method" "items_get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_integration" "items_get" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.items.id
  http_method = aws_api_gateway_method.items_get.http_method
  type        = "MOCK"

  request_templates = {
    "application/json" = "{\"statusCode\": 200}"
  }
}

resource "aws_api_gateway_method" "items_post" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "POST"
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.api_key.id
}

resource "aws_api_gateway_integration" "items_post" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.items.id
  http_method = aws_api_gateway_method.items_post.http_method
  type        = "MOCK"

  request_templates = {
    "application/json" = "{\"statusCode\": 200}"
  }
}

resource "aws_api_gateway_authorizer" "api_key" {
  name            = "api-key-authorizer"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = aws_lambda_function.authorizer.invoke_arn
}

# Defect 3 (python3.9) and 4 (no log group for /aws/lambda/api-key-authorizer).
resource "aws_lambda_function" "authorizer" {
  function_name = "api-key-authorizer"
  role          = aws_iam_role.authorizer.arn
  runtime       = "python3.9"
  handler       = "handler.handler"
  filename      = "authorizer.zip"

  environment {
    variables = {
      SECRET_NAME = aws_secretsmanager_secret.api_key.name
    }
  }
}

# Defect 2: no source_arn.
resource "aws_lambda_permission" "apigw" {
  statement_id  = "AllowAPIGatewayInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.authorizer.function_name
  principal     = "apigateway.amazonaws.com"
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "items-api-key"
}

# Defect 5: the key is a literal (a made-up placeholder, not a real credential).
resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id     = aws_secretsmanager_secret.api_key.id
  secret_string = jsonencode({ api_key = "seed-example-key-not-a-real-credential-0000" })
}

resource "aws_iam_role" "authorizer" {
  name = "api-key-authorizer-role"

  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRole"
      Principal = { Service = "lambda.amazonaws.com" }
    }]
  })
}

# Defect 6: every Secrets Manager action on every secret.
resource "aws_iam_role_policy" "authorizer" {
  name = "authorizer-policy"
  role = aws_iam_role.authorizer.id

  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = "secretsmanager:*"
      Resource = "*"
    }]
  })
}

resource "aws_iam_role_policy_attachment" "authorizer_logs" {
  role       = aws_iam_role.authorizer.name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id

  depends_on = [
    aws_api_gateway_integration.items_get,
    aws_api_gateway_integration.items_post,
  ]
}

# Defect 4: no access_log_settings.
resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  deployment_id = aws_api_gateway_deployment.api.id
  stage_name    = "prod"
}
