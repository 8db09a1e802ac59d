# No default, no tfvars: set at apply time (TF_VAR_api_key).
# expect: passed
variable "api_key" {
  type      = string
  sensitive = true
}

# expect: passed
variable "clientSecret" {
  type      = string
  sensitive = true
  ephemeral = true
}
