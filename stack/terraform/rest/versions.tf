terraform {
  # 1.11 is the first release with write-only attributes (secret_string_wo);
  # ephemeral resources arrived in 1.10.
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

# Credentials come from the environment (AWS_PROFILE, SSO, an assumed role...),
# never from this configuration.
provider "aws" {
  region = var.region

  default_tags {
    tags = var.tags
  }
}
