"""GA407: the authorizer's code logs no key, secret, header or event.

**What it checks**
Each Lambda authorizer whose function's code gateaudit can read (as GA107 finds it): nothing that holds the
presented key, the fetched secret (`get_secret_value`, `SecretString`), the request's headers or the whole event
may reach `print`, `logging.*`, a logger (`logging.getLogger()`, one created in another module of the package,
AWS Lambda Powertools' `Logger`), `sys.stdout.write` (Node.js: `console.*` and common loggers), directly, in an
f-string or `json.dumps`, or as the message of an exception that is logged. Fields of the event that hold no
secret, such as `event["requestContext"]["requestId"]` or `event["methodArn"]`, may be logged. Each leak fails
at its line.

**Why it matters**
Lambda's logs go to CloudWatch Logs, read by far more people and tools than the secret is (support, log
pipelines, third-party sinks) and kept for as long as the log group's retention. A key logged once is a key
leaked; logging the whole event at INFO, the usual first debugging line, logs every caller's key.

**Fails**
    data "archive_file" "authorizer" {
      type        = "zip"
      output_path = "authorizer.zip"

      source {
        filename = "handler.py"
        content  = <<-EOT
          import json
          import logging

          logger = logging.getLogger()

          def handler(event, context):
              logger.info("event: %s", json.dumps(event))
              return {
                  "principalId": "client",
                  "policyDocument": {"Version": "2012-10-17", "Statement": [
                      {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": event["methodArn"]}]},
              }
        EOT
      }
    }

    resource "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
      role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = data.archive_file.authorizer.output_path
    }

    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_api_gateway_authorizer" "api_key" {
      name            = "api-key"
      rest_api_id     = aws_api_gateway_rest_api.api.id
      type            = "REQUEST"
      identity_source = "method.request.header.x-api-key"
      authorizer_uri  = aws_lambda_function.authorizer.invoke_arn
    }

**Passes**
    data "archive_file" "authorizer" {
      type        = "zip"
      output_path = "authorizer.zip"

      source {
        filename = "handler.py"
        content  = <<-EOT
          import logging

          logger = logging.getLogger()

          def handler(event, context):
              logger.info("request %s denied", event["requestContext"]["requestId"])
              return {
                  "principalId": "client",
                  "policyDocument": {"Version": "2012-10-17", "Statement": [
                      {"Action": "execute-api:Invoke", "Effect": "Deny", "Resource": event["methodArn"]}]},
              }
        EOT
      }
    }

    resource "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
      role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = data.archive_file.authorizer.output_path
    }

    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_api_gateway_authorizer" "api_key" {
      name            = "api-key"
      rest_api_id     = aws_api_gateway_rest_api.api.id
      type            = "REQUEST"
      identity_source = "method.request.header.x-api-key"
      authorizer_uri  = aws_lambda_function.authorizer.invoke_arn
    }

**Fix**
Log the decision and non-secret fields (request id, route, which key version matched), never the event, its
headers, the presented key or the secret; log an exception's class, not its message, when the message may
carry them.

**Limits**
What a library gateaudit does not read does with a value passed to it is not judged. An environment variable's
value counts as secret when the key is compared with it.

**Settings**
`api-key-header` (top level of the config, default `"x-api-key"`): the header the presented key is read from.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Stack
from gateaudit.result import Result, Severity
from gateaudit.settings import Settings

from . import Rule
from ._code import Authorizer, at, judge_code

RULE = Rule(
    id="GA407",
    control="logging-enabled",
    severity=Severity.HIGH,
    title="The authorizer's code logs no key, secret, header or event",
    rationale="Logs are read by many more people than the key is; a key logged once is leaked.",
    remediation="Log the decision and the request id, never the event, its headers, the presented key or the "
                "secret.",
    mappings={
        "NIST SP 800-53 rev 5": ("AU-9", "SI-11"),
        "OWASP API Top 10 2023": ("API8:2023",),
    },
)


def check(stack: Stack, settings: Settings) -> Iterator[Result]:
    return judge_code(RULE, stack, settings.api_key_header, _judge)


def _judge(authorizer: Authorizer) -> Iterator[Result]:
    code = authorizer.code
    for leak in code.logged:
        yield at(RULE, "failed", authorizer, f"writes {leak.what} to the log through {leak.sink}: log the decision "
                                             "and the request id instead", leak.location)
    if not code.logged:
        yield at(RULE, "passed", authorizer, "logs no presented key, secret, header or event", code.entry)
