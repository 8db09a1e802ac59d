data "aws_secretsmanager_secret_version" "upstream" {
  secret_id = "partner/upstream"
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "fitness/api-key"
}

# A value read from another secret at apply time is not a literal: it passes, it is not unknown.
# expect: passed aws_secretsmanager_secret_version.api_key
resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id     = aws_secretsmanager_secret.api_key.id
  secret_string = jsondecode(data.aws_secretsmanager_secret_version.upstream.secret_string)["api_key"]
}
