# Any ephemeral value is opened at apply time: here a copy of another secret, never in plan or state.
ephemeral "aws_secretsmanager_secret_version" "upstream" {
  secret_id = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shared/partner-token-AbCdEf"
}

resource "aws_secretsmanager_secret" "partner_token" {
  name = "prod/fitness/partner-token"
}

# expect: passed aws_secretsmanager_secret_version.partner_token
resource "aws_secretsmanager_secret_version" "partner_token" {
  secret_id                = aws_secretsmanager_secret.partner_token.id
  secret_string_wo         = ephemeral.aws_secretsmanager_secret_version.upstream.secret_string
  secret_string_wo_version = 1
}
