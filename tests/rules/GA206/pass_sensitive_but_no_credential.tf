variable "reports_password" {
  type      = string
  sensitive = true
}

# Sensitive to the provider, but a user name, a URL without credentials and a banner are no credentials.
# expect: passed aws_glue_connection.reports
resource "aws_glue_connection" "reports" {
  name = "fitness-reports"

  connection_properties = {
    JDBC_CONNECTION_URL = "jdbc:postgresql://reports.internal:5432/reports"
    USERNAME            = "reports"
    PASSWORD            = var.reports_password
  }
}

# expect: passed aws_transfer_server.sftp
resource "aws_transfer_server" "sftp" {
  protocols                        = ["SFTP"]
  pre_authentication_login_banner  = "Authorised use only. Activity is logged."
  post_authentication_login_banner = "Welcome to the fitness SFTP server."
}

# A placeholder a later step fills in, and a word that says there is none.
# expect: passed aws_mq_broker.events
resource "aws_mq_broker" "events" {
  broker_name        = "fitness-events"
  engine_type        = "RabbitMQ"
  engine_version     = "3.13"
  host_instance_type = "mq.t3.micro"

  user {
    username = "events"
    password = "<set by the rotation lambda>"
  }
}
