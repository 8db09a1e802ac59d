# Backend behind /items: its own role (logs and traces only, no secret access).

resource "aws_iam_role" "backend" {
  name               = local.backend_function_name
  description        = "Execution role of the ${local.backend_function_name} Lambda backend."
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "backend" {
  statement {
    sid       = "WriteOwnLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.backend.arn}:*"]
  }

  statement {
    # X-Ray trace submission has no resource-level permissions.
    sid       = "WriteTraces"
    effect    = "Allow"
    actions   = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]
    resources = ["*"]
  }
}

resource "aws_iam_role_policy" "backend" {
  name   = "least-privilege"
  role   = aws_iam_role.backend.id
  policy = data.aws_iam_policy_document.backend.json
}

resource "aws_cloudwatch_log_group" "backend" {
  name              = "/aws/lambda/${local.backend_function_name}"
  retention_in_days = var.log_retention_in_days
}

resource "aws_lambda_function" "backend" {
  function_name    = local.backend_function_name
  description      = "Backend of the gateaudit reference API."
  role             = aws_iam_role.backend.arn
  runtime          = var.lambda_runtime
  handler          = "handler.handler"
  filename         = local.backend_package
  source_code_hash = filebase64sha256(local.backend_package)
  timeout          = 10
  memory_size      = 128

  logging_config {
    log_format = "JSON"
    log_group  = aws_cloudwatch_log_group.backend.name
  }

  tracing_config {
    mode = "Active"
  }

  depends_on = [aws_iam_role_policy.backend]
}

# Any stage and method of this API, on /items only.
resource "aws_lambda_permission" "backend" {
  statement_id  = "AllowApiGatewayItems"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.backend.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/*/*${aws_api_gateway_resource.items.path}"
}
