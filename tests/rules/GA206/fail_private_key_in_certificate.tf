# `private_key` is sensitive and named a credential; a PEM private key is one whatever the name.
# expect: failed aws_iam_server_certificate.api
resource "aws_iam_server_certificate" "api" {
  name             = "fitness-api"
  certificate_body = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUfitness\n-----END CERTIFICATE-----\n"
  private_key      = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjfitness\n-----END PRIVATE KEY-----\n"
}
