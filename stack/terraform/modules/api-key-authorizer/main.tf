# A Lambda authorizer that checks the x-api-key header against the key in its own
# Secrets Manager secret: the function, its role (that secret, its own log group,
# X-Ray), its log group and the secret. The aws_lambda_permission that lets API
# Gateway invoke it needs the API's execution ARN, so it lives with the API.

locals {
  # The function writes to this group; creating it here gives it a retention.
  log_group_name = "/aws/lambda/${var.name}"

  # The entry point whose code answers only the shape the API accepts, so that
  # the shape is fixed by what is deployed, not by an environment variable.
  entry_points = {
    rest = "handler.rest_handler"
    http = "handler.http_handler"
    auto = "handler.handler"
  }
  handler = var.handler != null ? var.handler : local.entry_points[var.response_format]
}

data "aws_iam_policy_document" "assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = var.name
  description        = "Execution role of the ${var.name} Lambda authorizer: reads its API key secret, writes its own logs and traces."
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "ReadApiKey"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.api_key.arn]
  }

  # Only with a customer managed key: Secrets Manager decrypts with it on the
  # caller's behalf, so the role needs kms:Decrypt, and only through Secrets Manager.
  dynamic "statement" {
    for_each = var.secret_kms_key_arn == null ? [] : [var.secret_kms_key_arn]

    content {
      sid       = "DecryptApiKey"
      effect    = "Allow"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${data.aws_region.current.name}.amazonaws.com"]
      }
    }
  }

  statement {
    sid       = "WriteOwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    # X-Ray trace submission has no resource-level permissions.
    sid       = "WriteTraces"
    effect    = "Allow"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

data "aws_region" "current" {}

resource "aws_iam_role_policy" "this" {
  name   = "least-privilege"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group_name
  retention_in_days = var.log_retention_in_days
  kms_key_id        = var.log_kms_key_arn
}

resource "aws_lambda_function" "this" {
  function_name    = var.name
  description      = var.description
  role             = aws_iam_role.this.arn
  runtime          = var.runtime
  handler          = local.handler
  filename         = var.package_path
  source_code_hash = filebase64sha256(var.package_path)
  timeout          = var.timeout_seconds
  memory_size      = var.memory_size_mb

  # RESPONSE_FORMAT is read by handler.handler alone (the fixed entry points
  # ignore it); it stays so that the configuration names the answer given.
  environment {
    variables = {
      # The secret's ARN, never its value.
      API_KEY_SECRET_ARN                  = aws_secretsmanager_secret.api_key.arn
      SECRET_CACHE_TTL_SECONDS            = tostring(var.secret_cache_ttl_seconds)
      SECRET_REFRESH_MIN_INTERVAL_SECONDS = tostring(var.secret_refresh_min_interval_seconds)
      RESPONSE_FORMAT                     = var.response_format
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.this.name
  }

  tracing_config {
    mode = "Active"
  }

  # The role must be able to log and read the secret before the first call.
  depends_on = [aws_iam_role_policy.this]
}
