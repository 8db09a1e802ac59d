# Short and run-together names that call their value a credential, as GA202 reads them: each default fails.
# expect: failed var.db_creds
variable "db_creds" {
  type    = string
  default = "reports:Tr0ub4dor-and-3"
}

# expect: failed var.smtp_pw
variable "smtp_pw" {
  type    = string
  default = "mail-relay-2024"
}

# expect: failed var.partner_auth
variable "partner_auth" {
  type    = string
  default = "partner:s3cr3t-2024"
}

# expect: failed var.dbpassword
variable "dbpassword" {
  type    = string
  default = "reports-db-2024"
}
