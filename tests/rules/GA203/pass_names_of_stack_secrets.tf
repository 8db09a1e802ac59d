resource "aws_secretsmanager_secret" "api_key" {
  name = "fitness-api-key"
}

# The default is the name of a secret of this stack, not a key.
# expect: passed var.api_key_secret
variable "api_key_secret" {
  type    = string
  default = "fitness-api-key"
}
