# An empty string or null is the usual "not set" default: no secret is written.
# expect: passed
variable "partner_token" {
  type      = string
  sensitive = true
  default   = ""
}

# expect: passed
variable "db_password" {
  type      = string
  sensitive = true
  default   = null
}

# A default that names the secret, not its value.
# expect: passed
variable "api_key_secret" {
  type    = string
  default = "prod/fitness/api-key"
}
