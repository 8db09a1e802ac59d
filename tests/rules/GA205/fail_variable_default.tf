variable "deploy_secret_key" {
  type      = string
  sensitive = true
  default   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}

variable "deploy_access_key" {
  type = string
}

# The secret key comes from a variable's literal default: written in the configuration.
# expect: failed provider.aws
provider "aws" {
  region     = "eu-west-1"
  access_key = var.deploy_access_key
  secret_key = var.deploy_secret_key
}
