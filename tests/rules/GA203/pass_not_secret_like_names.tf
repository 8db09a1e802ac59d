# None of these names calls its value a secret: no result for them.
variable "kms_key_id" {
  type    = string
  default = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
}

variable "api_key_version" {
  type    = number
  default = 1
}

variable "secret_cache_ttl_seconds" {
  type    = number
  default = 300
}

variable "api_key_secret_name" {
  type    = string
  default = "fitness-api-key"
}

variable "password_length" {
  type    = number
  default = 40
}

variable "api_key_source" {
  type    = string
  default = "HEADER"
}

variable "ssh_key" {
  type    = string
  default = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE2n2c0e9bpf6JWbVqfYbY4h9Gm1dJm5mR0aH9N8Vw7k ops@example.com"
}

# expect: passed var.master_password
variable "master_password" {
  type      = string
  sensitive = true
}
