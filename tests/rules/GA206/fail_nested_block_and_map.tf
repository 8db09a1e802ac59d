# A sensitive argument in a nested block, and a sensitive map whose PASSWORD entry is a literal: one result
# each, naming the argument.
# expect: failed aws_mq_broker.events
resource "aws_mq_broker" "events" {
  broker_name        = "fitness-events"
  engine_type        = "RabbitMQ"
  engine_version     = "3.13"
  host_instance_type = "mq.t3.micro"

  user {
    username = "events"
    password = "rabbit-Passw0rd-2024"
  }
}

# expect: failed aws_glue_connection.reports
resource "aws_glue_connection" "reports" {
  name = "fitness-reports"

  connection_properties = {
    JDBC_CONNECTION_URL = "jdbc:postgresql://reports.internal:5432/reports"
    USERNAME            = "reports"
    PASSWORD            = "glue-Passw0rd-2024"
  }
}

# Two credentials in one resource: two results, so that each is masked in reports.
# expect: failed aws_cloudwatch_event_connection.partner
# expect: failed aws_cloudwatch_event_connection.partner
resource "aws_cloudwatch_event_connection" "partner" {
  name               = "partner"
  authorization_type = "OAUTH_CLIENT_CREDENTIALS"

  auth_parameters {
    oauth {
      authorization_endpoint = "https://auth.partner.example.com/oauth2/token"
      http_method            = "POST"

      client_parameters {
        client_id     = "fitness"
        client_secret = "partner-client-secret-Zx9"
      }

      oauth_http_parameters {
        header {
          key             = "x-partner-key"
          value           = "AKIAQWERTYUIOPASDFGH"
          is_value_secret = true
        }
      }
    }
  }
}
