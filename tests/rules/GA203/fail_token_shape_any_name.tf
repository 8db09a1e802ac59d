# A value shaped like a credential is one whatever the variable is called.
# expect: failed var.checkout
variable "checkout" {
  type    = string
  default = "ghp_Zq8Xv2Lm9Tr4Wb7Nc1Kd6Hs3Jf5Gp0YaB2cD"
}

# A name that calls its value nothing and a value of no credential's shape: no result.
variable "region" {
  type    = string
  default = "eu-west-1"
}
