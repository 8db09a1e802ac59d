variable "deploy_access_key" {
  type = string
}

variable "deploy_secret_key" {
  type      = string
  sensitive = true
}

# Set at apply time (TF_VAR_...): not written here.
# expect: passed provider.aws
provider "aws" {
  region     = "eu-west-1"
  access_key = var.deploy_access_key
  secret_key = var.deploy_secret_key
}
