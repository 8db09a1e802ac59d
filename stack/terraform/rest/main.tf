locals {
  authorizer_package = coalesce(var.authorizer_package, "${path.module}/../../build/authorizer.zip")
  backend_package    = coalesce(var.backend_package, "${path.module}/../../build/backend.zip")

  # Fields written to the stage's access log. Request headers (x-api-key among
  # them) and $context.identity.apiKey are deliberately absent.
  access_log_format = {
    requestId                    = "$context.requestId"
    extendedRequestId            = "$context.extendedRequestId"
    ip                           = "$context.identity.sourceIp"
    userAgent                    = "$context.identity.userAgent"
    requestTime                  = "$context.requestTime"
    httpMethod                   = "$context.httpMethod"
    resourcePath                 = "$context.resourcePath"
    status                       = "$context.status"
    protocol                     = "$context.protocol"
    responseLength               = "$context.responseLength"
    responseLatency              = "$context.responseLatency"
    errorMessage                 = "$context.error.message"
    errorResponseType            = "$context.error.responseType"
    authorizerPrincipalId        = "$context.authorizer.principalId"
    authorizerStatus             = "$context.authorizer.status"
    authorizerError              = "$context.authorizer.error"
    authorizerLatency            = "$context.authorizer.latency"
    authorizerIntegrationLatency = "$context.authorizer.integrationLatency"
    integrationStatus            = "$context.integration.status"
    integrationLatency           = "$context.integration.latency"
    xrayTraceId                  = "$context.xrayTraceId"
  }
}

module "authorizer" {
  source = "../modules/api-key-authorizer"

  name                                = "${var.name}-authorizer"
  description                         = "REQUEST authorizer of the ${var.name} REST API: checks x-api-key against Secrets Manager."
  secret_name                         = "${var.name}/api-key"
  package_path                        = local.authorizer_package
  runtime                             = var.lambda_runtime
  response_format                     = "rest"
  secret_cache_ttl_seconds            = var.secret_cache_ttl_seconds
  secret_refresh_min_interval_seconds = var.secret_refresh_min_interval_seconds
  api_key_version                     = var.api_key_version
  secret_recovery_window_in_days      = var.secret_recovery_window_in_days
  secret_kms_key_arn                  = var.secret_kms_key_arn
  log_retention_in_days               = var.log_retention_in_days
  log_kms_key_arn                     = var.log_kms_key_arn
}

module "backend" {
  source = "../modules/backend-function"

  name                  = "${var.name}-backend"
  description           = "Backend of the ${var.name} REST API (GET and POST /items)."
  package_path          = local.backend_package
  runtime               = var.lambda_runtime
  log_retention_in_days = var.log_retention_in_days
  log_kms_key_arn       = var.log_kms_key_arn
}

# ---------------------------------------------------------------------------
# REST API: /items with GET and POST, both behind the REQUEST authorizer.
# ---------------------------------------------------------------------------

resource "aws_api_gateway_rest_api" "api" {
  name        = var.name
  description = "gateaudit reference REST API: every method is guarded by a REQUEST Lambda authorizer reading x-api-key."

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_authorizer" "api_key" {
  name                             = "${var.name}-api-key"
  rest_api_id                      = aws_api_gateway_rest_api.api.id
  type                             = "REQUEST"
  identity_source                  = "method.request.header.x-api-key"
  authorizer_uri                   = module.authorizer.invoke_arn
  authorizer_result_ttl_in_seconds = var.authorizer_cache_ttl_seconds
}

# The authorizer may be invoked by this authorizer of this API only.
resource "aws_lambda_permission" "authorizer" {
  statement_id  = "AllowApiGatewayAuthorizer"
  action        = "lambda:InvokeFunction"
  function_name = module.authorizer.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/authorizers/${aws_api_gateway_authorizer.api_key.id}"
}

resource "aws_api_gateway_resource" "items" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items"
}

resource "aws_api_gateway_method" "items_get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "GET"
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.api_key.id
}

resource "aws_api_gateway_integration" "items_get" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.items.id
  http_method             = aws_api_gateway_method.items_get.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = module.backend.invoke_arn
}

resource "aws_api_gateway_method" "items_post" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.items.id
  http_method   = "POST"
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.api_key.id
}

resource "aws_api_gateway_integration" "items_post" {
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.items.id
  http_method             = aws_api_gateway_method.items_post.http_method
  type                    = "AWS_PROXY"
  integration_http_method = "POST"
  uri                     = module.backend.invoke_arn
}

# The backend may be invoked by any stage and method of this API, on /items only.
resource "aws_lambda_permission" "backend" {
  statement_id  = "AllowApiGatewayItems"
  action        = "lambda:InvokeFunction"
  function_name = module.backend.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/*/*${aws_api_gateway_resource.items.path}"
}

# ---------------------------------------------------------------------------
# Deployment, stage, logging.
# ---------------------------------------------------------------------------

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id

  # Redeploy whenever anything the deployment snapshots changes.
  triggers = {
    redeployment = sha1(jsonencode([
      aws_api_gateway_authorizer.api_key,
      aws_api_gateway_resource.items,
      aws_api_gateway_method.items_get,
      aws_api_gateway_integration.items_get,
      aws_api_gateway_method.items_post,
      aws_api_gateway_integration.items_post,
    ]))
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "api" {
  rest_api_id          = aws_api_gateway_rest_api.api.id
  deployment_id        = aws_api_gateway_deployment.api.id
  stage_name           = var.stage_name
  xray_tracing_enabled = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode(local.access_log_format)
  }

  # Logging needs the account's CloudWatch role. The execution log group must
  # exist first: otherwise API Gateway creates it, with no retention.
  depends_on = [
    aws_api_gateway_account.this,
    aws_cloudwatch_log_group.execution,
  ]
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.api.stage_name
  method_path = "*/*"

  settings {
    logging_level          = var.execution_logging_level
    metrics_enabled        = true
    data_trace_enabled     = false # full request/response logging would write x-api-key to the logs
    throttling_rate_limit  = var.throttling_rate_limit
    throttling_burst_limit = var.throttling_burst_limit
  }
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}/${var.stage_name}/access"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn
}

# The name API Gateway uses for execution logs; created here so it has a retention.
resource "aws_cloudwatch_log_group" "execution" {
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api.id}/${var.stage_name}"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn
}
