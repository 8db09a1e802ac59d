resource "aws_secretsmanager_secret" "api_key" {
  name = "prod/fitness/api-key"
}

# An empty string is a placeholder written as the secret's value: Terraform stores "" and puts it back on
# every apply after someone sets the real value by hand.
# expect: failed aws_secretsmanager_secret_version.api_key
resource "aws_secretsmanager_secret_version" "api_key" {
  secret_id     = aws_secretsmanager_secret.api_key.id
  secret_string = ""
}
