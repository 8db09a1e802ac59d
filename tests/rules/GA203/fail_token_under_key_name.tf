# A `<qualifier>_key` name holding a value that is no route key, path, ARN, file name, URL or fixed word:
# a credential, judged by name and value.
# expect: failed var.partner_key
variable "partner_key" {
  type    = string
  default = "pk-8d7f6e5c4b3a2918"
}

# A long random token is a credential whatever its name.
# expect: failed var.route_key
variable "route_key" {
  type    = string
  default = "Zq8Xv2Lm9Tr4Wb7Nc1Kd6Hs3Jf5Gp0Ya"
}
