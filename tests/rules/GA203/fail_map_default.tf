# expect: failed var.partner_api_keys
variable "partner_api_keys" {
  type      = map(string)
  sensitive = true
  default = {
    acme   = "acme-7f3e9b1c5d"
    globex = "globex-2a8c4e6f0b"
  }
}
