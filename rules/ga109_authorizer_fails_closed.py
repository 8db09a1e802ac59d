"""GA109: the authorizer's code fails closed.

**What it checks**
Each Lambda authorizer whose function's code gateaudit can read (as GA107 finds it): every `except` (Node.js:
`catch`) on the handler's path must answer Deny, re-raise, or let the error reach API Gateway (which answers
401 or 500); a clause that answers Allow fails, at its line. A comparison of the presented key where both sides
may be None (a header read with `.get()` and a key read with `os.environ.get()`, or a helper that returns None
when the secret cannot be read) fails too: a request without the header is let in whenever the key is missing.

**Why it matters**
An authorizer is the only check in front of the backend. If a Secrets Manager outage, a missing setting or a
malformed request makes it answer Allow, anyone gets in exactly when things go wrong, and nothing in the logs
looks like an attack.

**Fails**
    data "archive_file" "authorizer" {
      type        = "zip"
      output_path = "authorizer.zip"

      source {
        filename = "handler.py"
        content  = <<-EOT
          import os

          def policy(effect, resource):
              return {
                  "principalId": "client",
                  "policyDocument": {"Version": "2012-10-17", "Statement": [
                      {"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}]},
              }

          def handler(event, context):
              try:
                  if event["headers"]["x-api-key"] != os.environ["API_KEY"]:
                      return policy("Deny", event["methodArn"])
              except Exception:
                  return policy("Allow", event["methodArn"])
              return policy("Allow", event["methodArn"])
        EOT
      }
    }

    resource "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
      role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = data.archive_file.authorizer.output_path

      environment {
        variables = {
          API_KEY = var.api_key
        }
      }
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

    variable "api_key" {
      type      = string
      sensitive = true
    }

**Passes**
    data "archive_file" "authorizer" {
      type        = "zip"
      output_path = "authorizer.zip"

      source {
        filename = "handler.py"
        content  = <<-EOT
          import hmac
          import os

          def policy(effect, resource):
              return {
                  "principalId": "client",
                  "policyDocument": {"Version": "2012-10-17", "Statement": [
                      {"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}]},
              }

          def handler(event, context):
              try:
                  presented = event["headers"]["x-api-key"]
                  if hmac.compare_digest(presented.encode(), os.environ["API_KEY"].encode()):
                      return policy("Allow", event["methodArn"])
              except Exception:
                  return policy("Deny", event["methodArn"])
              return policy("Deny", event["methodArn"])
        EOT
      }
    }

    resource "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
      role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = data.archive_file.authorizer.output_path

      environment {
        variables = {
          API_KEY = var.api_key
        }
      }
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

    variable "api_key" {
      type      = string
      sensitive = true
    }

**Fix**
Answer Deny (or raise) from every `except`; refuse a request whose header is missing or empty before comparing;
treat a key that cannot be read as an error, not as None.

**Limits**
Only the paths gateaudit can follow are judged: an answer whose effect is computed at runtime on an error path
(`{"isAuthorized": ok}`) is unknown there. Exceptions raised inside code gateaudit does not read are assumed
to reach the handler's own `except` clauses.

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
    id="GA109",
    control="authorizer-attached",
    severity=Severity.CRITICAL,
    title="The authorizer's code fails closed",
    rationale="An authorizer that answers Allow on an error lets everyone in exactly when something goes wrong.",
    remediation="Answer Deny or raise from every except clause, and refuse a missing header before comparing.",
    mappings={
        "NIST SP 800-53 rev 5": ("AC-3", "SI-17"),
        "OWASP API Top 10 2023": ("API2:2023",),
    },
)


def check(stack: Stack, settings: Settings) -> Iterator[Result]:
    return judge_code(RULE, stack, settings.api_key_header, _judge)


def _judge(authorizer: Authorizer) -> Iterator[Result]:
    code = authorizer.code
    bad = False
    for path in code.error_paths:
        if path.outcome == "allow":
            bad = True
            yield at(RULE, "failed", authorizer, f"its except clause for {path.catches} answers Allow: an error "
                                                 "lets the request in; answer Deny or raise", path.location)
        elif path.outcome == "unknown":
            bad = True
            yield at(RULE, "unknown", authorizer, f"cannot tell what its except clause for {path.catches} answers: "
                                                  "the answer's effect is computed at runtime", path.location)
    for comparison in code.comparisons:
        if comparison.both_may_be_none:
            bad = True
            yield at(RULE, "failed", authorizer, f"compares the presented key with {comparison.how} against "
                                                 f"{comparison.against} when both may be None: a request without "
                                                 "the header is allowed whenever the key is not set or cannot be "
                                                 "read; refuse a missing header and a missing key first",
                     comparison.location)
    if not bad:
        caught = len(code.error_paths)
        how = f"its {caught} except clause(s) answer Deny or raise" if caught else "no except clause answers Allow"
        yield at(RULE, "passed", authorizer, f"{how}, and no comparison lets a missing header match a missing key",
                 code.entry)
