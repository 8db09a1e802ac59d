locals {
  # Each function's name and its log group's name derive from the same value, so
  # the log group the function writes to is the one created (with retention) here.
  authorizer_function_name = "${var.name}-authorizer"
  backend_function_name    = "${var.name}-backend"

  authorizer_package = coalesce(var.authorizer_package, "${path.module}/../build/authorizer.zip")
  backend_package    = coalesce(var.backend_package, "${path.module}/../build/backend.zip")

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

# ---------------------------------------------------------------------------
# REST API: /items with GET and POST, both behind the REQUEST authorizer.
# ---------------------------------------------------------------------------

resource "aws_api_gateway_rest_api" "api" {
  name        = var.name
  description = "gateaudit reference API: every method is guarded by a REQUEST Lambda authorizer reading x-api-key."

  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_authorizer" "api_key" {
  name                             = "${var.name}-api-key"
  rest_api_id                      = aws_api_gateway_rest_api.api.id
  type                             = "REQUEST"
  identity_source                  = "method.request.header.x-api-key"
  authorizer_uri                   = aws_lambda_function.authorizer.invoke_arn
  authorizer_result_ttl_in_seconds = var.authorizer_cache_ttl_seconds
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
  uri                     = aws_lambda_function.backend.invoke_arn
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
  uri                     = aws_lambda_function.backend.invoke_arn
}

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
    logging_level      = var.execution_logging_level
    metrics_enabled    = true
    data_trace_enabled = false # full request/response logging would write x-api-key to the logs
  }
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}/${var.stage_name}/access"
  retention_in_days = var.log_retention_in_days
}

# The name API Gateway uses for execution logs; created here so it has a retention.
resource "aws_cloudwatch_log_group" "execution" {
  name              = "API-Gateway-Execution-Logs_${aws_api_gateway_rest_api.api.id}/${var.stage_name}"
  retention_in_days = var.log_retention_in_days
}
