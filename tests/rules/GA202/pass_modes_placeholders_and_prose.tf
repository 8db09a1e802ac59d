variable "api_token" {
  type      = string
  sensitive = true
}

# AUTH naming a mode (words in one case, no digits), placeholders filled in by a later deploy step, a bearer
# header around a token given at apply time, and prose that names the schemes without a credential.
# expect: passed aws_lambda_function.backend
resource "aws_lambda_function" "backend" {
  function_name = "fitness-backend"
  role          = "arn:aws:iam::123456789012:role/fitness-backend"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "backend.zip"

  environment {
    variables = {
      AUTH             = "AWS_IAM"
      PARTNER_AUTH     = "cognito"
      AUTH_MODE        = "Bearer"
      DB_PASSWORD      = "<set by the deploy pipeline>"
      API_TOKEN        = "{{ api_token }}"
      UPSTREAM_HEADER  = "Bearer ${var.api_token}"
      AUTH_DESCRIPTION = "Send Bearer authentication headers, or Basic auth for the legacy partners"
      CREDS_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fitness/creds-AbCdEf"
      JWT_ISSUER       = "https://auth.example.com/"
      PUBLIC_KEY       = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2n2c0e9bpf6JWbVqfYbY4h9Gm1dJm5mR0aH9N8Vw7k ops"
    }
  }
}
