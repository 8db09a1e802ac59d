# An API created elsewhere, named by its id: scoped to that one API.
# expect: passed aws_lambda_permission.backend
resource "aws_lambda_permission" "backend" {
  action        = "lambda:InvokeFunction"
  function_name = "items-backend"
  principal     = "apigateway.amazonaws.com"
  source_arn    = "arn:aws:execute-api:us-east-1:123456789012:abc123defg/*/GET/items"
}
