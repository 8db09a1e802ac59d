resource "aws_iam_role" "authorizer" {
  name = "authorizer"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }]
  })
}

resource "aws_lambda_function" "authorizer" {
  function_name = "api-key-authorizer"
  role          = aws_iam_role.authorizer.arn
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}

# The HTTP API's routes come from a template: the authorizer's URI is known only after apply, the rest of the
# document is read, each route judged at its line in openapi.tpl.yaml.
# expect: passed aws_apigatewayv2_api.http
resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
  body = templatefile("${path.module}/openapi.tpl.yaml", {
    title          = "fitness"
    authorizer_uri = aws_lambda_function.authorizer.invoke_arn
  })
}
