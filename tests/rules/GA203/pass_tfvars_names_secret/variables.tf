# The tfvars value names the secret (a path), it is not the key.
# expect: passed var.api_key_secret
variable "api_key_secret" {
  type = string
}
