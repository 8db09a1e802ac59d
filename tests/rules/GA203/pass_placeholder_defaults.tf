# An empty string or null is the usual "not set" default: no secret is written.
# expect: passed var.partner_token
variable "partner_token" {
  type      = string
  sensitive = true
  default   = ""
}

# expect: passed var.db_password
variable "db_password" {
  type      = string
  sensitive = true
  default   = null
}

# A default that names the secret, not its value.
# expect: passed var.api_key_secret
variable "api_key_secret" {
  type    = string
  default = "prod/fitness/api-key"
}
