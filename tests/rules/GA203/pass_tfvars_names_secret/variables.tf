# The tfvars value names the secret (a path), it is not the key.
# expect: passed
variable "api_key_secret" {
  type = string
}
