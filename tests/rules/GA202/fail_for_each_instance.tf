locals {
  tenants = {
    acme   = "prod/fitness/acme-token"
    globex = "globex-hunter2-token"
  }
}

# Each instance is judged with its own each.value: only globex's token is a literal.
# expect: passed aws_lambda_function.tenant["acme"]
# expect: failed aws_lambda_function.tenant["globex"]
resource "aws_lambda_function" "tenant" {
  for_each      = local.tenants
  function_name = "fitness-${each.key}"
  role          = "arn:aws:iam::123456789012:role/fitness-tenant"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "tenant.zip"

  environment {
    variables = {
      TENANT_TOKEN = each.value
    }
  }
}
