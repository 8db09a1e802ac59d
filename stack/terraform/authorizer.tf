# REQUEST authorizer: its own role, reading one secret and writing to one log group.

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "authorizer" {
  name               = local.authorizer_function_name
  description        = "Execution role of the ${local.authorizer_function_name} Lambda authorizer."
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "authorizer" {
  statement {
    sid       = "ReadApiKey"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.api_key.arn]
  }

  statement {
    sid       = "WriteOwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.authorizer.arn}:*"]
  }

  statement {
    # X-Ray trace submission has no resource-level permissions.
    sid       = "WriteTraces"
    effect    = "Allow"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "authorizer" {
  name   = "least-privilege"
  role   = aws_iam_role.authorizer.id
  policy = data.aws_iam_policy_document.authorizer.json
}

resource "aws_cloudwatch_log_group" "authorizer" {
  name              = "/aws/lambda/${local.authorizer_function_name}"
  retention_in_days = var.log_retention_in_days
}

resource "aws_lambda_function" "authorizer" {
  function_name    = local.authorizer_function_name
  description      = "REQUEST authorizer: compares the x-api-key header with the key in Secrets Manager."
  role             = aws_iam_role.authorizer.arn
  runtime          = var.lambda_runtime
  handler          = "handler.handler"
  filename         = local.authorizer_package
  source_code_hash = filebase64sha256(local.authorizer_package)
  timeout          = 5
  memory_size      = 128

  environment {
    variables = {
      # The secret's ARN, never its value.
      API_KEY_SECRET_ARN       = aws_secretsmanager_secret.api_key.arn
      SECRET_CACHE_TTL_SECONDS = tostring(var.secret_cache_ttl_seconds)
    }
  }

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.authorizer.name
  }

  tracing_config {
    mode = "Active"
  }

  # The role must be able to log and read the secret before the first call.
  depends_on = [aws_iam_role_policy.authorizer]
}

resource "aws_lambda_permission" "authorizer" {
  statement_id  = "AllowApiGatewayAuthorizer"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.authorizer.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/authorizers/${aws_api_gateway_authorizer.api_key.id}"
}
