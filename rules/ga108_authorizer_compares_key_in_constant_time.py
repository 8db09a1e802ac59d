"""GA108: the authorizer's code compares the presented key in constant time.

**What it checks**
Each Lambda authorizer whose function's code gateaudit can read (as GA107 finds it): every comparison of the
presented key (a value of the event's headers, query string or TOKEN) must use `hmac.compare_digest` or
`secrets.compare_digest` (Node.js: `crypto.timingSafeEqual`), under any alias
(`from hmac import compare_digest as eq`), in the handler or any function of the package it calls. `==`,
`!=`, `in`, `startswith`/`endswith` and a dict lookup keyed by the presented key fail, at their line.

**Why it matters**
`==` on strings stops at the first byte that differs, so how long a wrong key takes to refuse tells an attacker
how many of its first bytes are right; a key can be recovered byte by byte. A dict lookup or `in` leaks the
same through hashing and probing. A constant-time comparison takes as long whatever the key.

**Fails**
    data "archive_file" "authorizer" {
      type        = "zip"
      output_path = "authorizer.zip"

      source {
        filename = "handler.py"
        content  = <<-EOT
          import os

          def handler(event, context):
              presented = event["headers"].get("x-api-key")
              allowed = presented == os.environ["API_KEY"]
              effect = "Allow" if allowed else "Deny"
              return {
                  "principalId": "client",
                  "policyDocument": {"Version": "2012-10-17", "Statement": [
                      {"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}]},
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

          def handler(event, context):
              presented = event["headers"].get("x-api-key") or ""
              allowed = hmac.compare_digest(presented.encode(), os.environ["API_KEY"].encode())
              effect = "Allow" if allowed else "Deny"
              return {
                  "principalId": "client",
                  "policyDocument": {"Version": "2012-10-17", "Statement": [
                      {"Action": "execute-api:Invoke", "Effect": effect, "Resource": event["methodArn"]}]},
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
Compare bytes with `hmac.compare_digest(presented.encode(), key.encode())` (Node.js:
`crypto.timingSafeEqual(Buffer.from(a), Buffer.from(b))` after checking the lengths match), against every valid
key, without stopping at the first match.

**Limits**
The presented key is followed through assignments, calls into the package's functions, string methods and
containers; a comparison inside code gateaudit does not read (another package) is unknown, naming the call.
A handler in which gateaudit finds no comparison of the key at all is unknown, never a pass.

**Settings**
`api-key-header` (top level of the config, default `"x-api-key"`): the header the presented key is read from.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Stack
from gateaudit.result import Result, Severity
from gateaudit.settings import Settings

from . import Rule
from ._code import Authorizer, at, judge_code, key_unseen

RULE = Rule(
    id="GA108",
    control="authorizer-attached",
    severity=Severity.MEDIUM,
    title="The authorizer's code compares the presented key in constant time",
    rationale="A comparison that stops at the first differing byte lets an attacker recover the key byte by byte.",
    remediation="Compare with hmac.compare_digest (Python) or crypto.timingSafeEqual (Node.js), not ==, in, "
                "startswith or a dict lookup.",
    mappings={
        "NIST SP 800-53 rev 5": ("IA-5", "SC-13"),
        "OWASP API Top 10 2023": ("API2:2023",),
    },
)


def check(stack: Stack, settings: Settings) -> Iterator[Result]:
    return judge_code(RULE, stack, settings.api_key_header, lambda found: _judge(found, settings.api_key_header))


def _judge(authorizer: Authorizer, key_header: str) -> Iterator[Result]:
    comparisons = authorizer.code.comparisons
    if not comparisons:
        why, where = key_unseen(authorizer, key_header)
        yield at(RULE, "unknown", authorizer, f"cannot tell how it compares the key: {why}", where)
        return
    timed = [c for c in comparisons if not c.constant_time]
    for comparison in timed:
        yield at(RULE, "failed", authorizer, f"compares the presented key with {comparison.how} against "
                                             f"{comparison.against}, which takes longer the more of the key is "
                                             "right; use hmac.compare_digest (crypto.timingSafeEqual in Node.js)",
                 comparison.location)
    if not timed:
        first = comparisons[0]
        yield at(RULE, "passed", authorizer, f"compares the presented key with {first.how}, in constant time",
                 first.location)
