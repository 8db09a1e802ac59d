region = "eu-west-1"

# expect: failed var.db_password
db_password = "Tr0ub4dor-and-3"
