locals {
  authorizer_package = coalesce(var.authorizer_package, "${path.module}/../../build/authorizer.zip")
  backend_package    = coalesce(var.backend_package, "${path.module}/../../build/backend.zip")

  # Every route of the API: each goes to the backend, behind the authorizer.
  routes = toset(["GET /items", "POST /items"])

  # Fields written to the stage's access log. Request headers (x-api-key among
  # them) and $context.identity.apiKey are deliberately absent.
  access_log_format = {
    requestId               = "$context.requestId"
    extendedRequestId       = "$context.extendedRequestId"
    ip                      = "$context.identity.sourceIp"
    userAgent               = "$context.identity.userAgent"
    requestTime             = "$context.requestTime"
    httpMethod              = "$context.httpMethod"
    routeKey                = "$context.routeKey"
    path                    = "$context.path"
    status                  = "$context.status"
    protocol                = "$context.protocol"
    responseLength          = "$context.responseLength"
    responseLatency         = "$context.responseLatency"
    errorMessage            = "$context.error.message"
    errorResponseType       = "$context.error.responseType"
    authorizerError         = "$context.authorizer.error"
    integrationStatus       = "$context.integrationStatus"
    integrationLatency      = "$context.integrationLatency"
    integrationErrorMessage = "$context.integrationErrorMessage"
  }
}

module "authorizer" {
  source = "../modules/api-key-authorizer"

  name                                = "${var.name}-authorizer"
  description                         = "Lambda authorizer (payload 2.0, simple responses) of the ${var.name} HTTP API: checks x-api-key against Secrets Manager."
  secret_name                         = "${var.name}/api-key"
  package_path                        = local.authorizer_package
  runtime                             = var.lambda_runtime
  response_format                     = "http"
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
  description           = "Backend of the ${var.name} HTTP API (GET and POST /items)."
  package_path          = local.backend_package
  runtime               = var.lambda_runtime
  log_retention_in_days = var.log_retention_in_days
  log_kms_key_arn       = var.log_kms_key_arn
}

# ---------------------------------------------------------------------------
# HTTP API: explicit routes only (no quick-create `target`, whose catch-all
# route would have no authorizer), each behind the Lambda authorizer.
# ---------------------------------------------------------------------------

resource "aws_apigatewayv2_api" "api" {
  name          = var.name
  description   = "gateaudit reference HTTP API: every route is guarded by a Lambda authorizer reading x-api-key."
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_authorizer" "api_key" {
  api_id                            = aws_apigatewayv2_api.api.id
  name                              = "${var.name}-api-key"
  authorizer_type                   = "REQUEST"
  authorizer_uri                    = module.authorizer.invoke_arn
  identity_sources                  = ["$request.header.x-api-key"]
  authorizer_payload_format_version = "2.0"
  enable_simple_responses           = true
  authorizer_result_ttl_in_seconds  = var.authorizer_cache_ttl_seconds
}

# The authorizer may be invoked by this authorizer of this API only.
resource "aws_lambda_permission" "authorizer" {
  statement_id  = "AllowApiGatewayAuthorizer"
  action        = "lambda:InvokeFunction"
  function_name = module.authorizer.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/authorizers/${aws_apigatewayv2_authorizer.api_key.id}"
}

resource "aws_apigatewayv2_integration" "backend" {
  api_id                 = aws_apigatewayv2_api.api.id
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = module.backend.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "items" {
  for_each = local.routes

  api_id             = aws_apigatewayv2_api.api.id
  route_key          = each.value
  target             = "integrations/${aws_apigatewayv2_integration.backend.id}"
  authorization_type = "CUSTOM"
  authorizer_id      = aws_apigatewayv2_authorizer.api_key.id
}

# The backend may be invoked by any stage and method of this API, on /items only.
resource "aws_lambda_permission" "backend" {
  statement_id  = "AllowApiGatewayItems"
  action        = "lambda:InvokeFunction"
  function_name = module.backend.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.api.execution_arn}/*/*/items"
}

# ---------------------------------------------------------------------------
# Stage and access log. HTTP APIs have no execution log and no data trace:
# the access log is the record of who called and what the authorizer decided.
# ---------------------------------------------------------------------------

resource "aws_apigatewayv2_stage" "api" {
  api_id      = aws_apigatewayv2_api.api.id
  name        = var.stage_name
  auto_deploy = true

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format          = jsonencode(local.access_log_format)
  }

  default_route_settings {
    throttling_rate_limit    = var.throttling_rate_limit
    throttling_burst_limit   = var.throttling_burst_limit
    detailed_metrics_enabled = true
  }

  # Deploy only once every route exists, so no deployment ever lacks one.
  depends_on = [aws_apigatewayv2_route.items]
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}/access"
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn
}
