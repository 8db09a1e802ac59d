# No default, no tfvars: set at apply time (TF_VAR_api_key).
# expect: passed var.api_key
variable "api_key" {
  type      = string
  sensitive = true
}

# expect: passed var.clientSecret
variable "clientSecret" {
  type      = string
  sensitive = true
  ephemeral = true
}
