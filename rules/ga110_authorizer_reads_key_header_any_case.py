"""GA110: the authorizer's code reads the key header whatever its case.

**What it checks**
Each Lambda authorizer of type `REQUEST` on a REST or WebSocket API, or an HTTP API with payload format 1.0,
whose function's code gateaudit can read (as GA107 finds it): these events carry header names as the client
sent them, so the code must find the key header (`api-key-header`, default `x-api-key`) whatever its case: from
a copy of the headers with lowered names, or by comparing `name.lower()`. A lookup by one spelling,
`headers.get("x-api-key")` or `headers["X-Api-Key"]`, fails at its line. TOKEN authorizers and HTTP API payload
2.0 events (whose header names API Gateway lowers) are not judged.

**Why it matters**
HTTP header names are case-insensitive, and clients, proxies and SDKs spell them differently: `X-API-Key`,
`x-api-key`, `X-Api-Key`. An authorizer that looks up one spelling refuses valid keys sent in another, and
the refusals get "fixed" by loosening the check or the route.

**Fails**
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
              return {
                  "principalId": "client",
                  "policyDocument": {"Version": "2012-10-17", "Statement": [
                      {"Action": "execute-api:Invoke", "Effect": "Allow" if allowed else "Deny",
                       "Resource": event["methodArn"]}]},
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
              headers = {name.lower(): value for name, value in (event.get("headers") or {}).items()}
              presented = headers.get("x-api-key") or ""
              allowed = hmac.compare_digest(presented.encode(), os.environ["API_KEY"].encode())
              return {
                  "principalId": "client",
                  "policyDocument": {"Version": "2012-10-17", "Statement": [
                      {"Action": "execute-api:Invoke", "Effect": "Allow" if allowed else "Deny",
                       "Resource": event["methodArn"]}]},
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
Look the header up whatever its case: `headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}`
then `headers.get("x-api-key")` (Node.js: lower the names of `Object.entries(event.headers)`).

**Limits**
A header map lowered by code gateaudit does not read (another package) is unknown there. When the code never
reads the header gateaudit can see, the result is unknown.

**Settings**
`api-key-header` (top level of the config, default `"x-api-key"`): the header the presented key is read from,
compared case-insensitively with what the code looks up.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import HeaderRead, Location, Stack, Unknown
from gateaudit.result import Result, Severity
from gateaudit.settings import Settings

from . import Rule
from ._code import Authorizer, at, authorizers, code_unknown, key_unseen

RULE = Rule(
    id="GA110",
    control="authorizer-attached",
    severity=Severity.LOW,
    title="The authorizer's code reads the key header whatever its case",
    rationale="Header names arrive as the client spelled them; a lookup by one spelling refuses valid keys.",
    remediation="Lower the header names before looking up x-api-key, or compare name.lower().",
    mappings={
        "NIST SP 800-53 rev 5": ("IA-2",),
    },
)


def check(stack: Stack, settings: Settings) -> Iterator[Result]:
    for found in authorizers(RULE, stack, settings.api_key_header):
        if isinstance(found, Result):
            yield found
        elif found.names_as_sent is False:
            continue  # TOKEN, HTTP API payload 2.0: no header names to spell
        elif isinstance(found.names_as_sent, Unknown):
            yield RULE.unknown(found.block, f"cannot tell whether its events carry header names as sent: "
                                            f"{found.names_as_sent.reason}")
        elif isinstance(found.code, Unknown):
            yield code_unknown(RULE, found)
        else:
            yield from _judge(found, settings.api_key_header)


def _judge(authorizer: Authorizer, key_header: str) -> Iterator[Result]:
    reads = authorizer.code.header_reads
    if not reads:
        why, where = key_unseen(authorizer, key_header)
        yield at(RULE, "unknown", authorizer, f"cannot tell how it reads the {key_header} header: {why}", where)
        return
    exact = [read for read in reads if not read.case_insensitive]
    by_line: dict[Location, list[HeaderRead]] = {}
    for read in exact:
        by_line.setdefault(read.location, []).append(read)
    for where, spelled in by_line.items():
        hows = " and ".join(read.how for read in spelled)
        headers = {read.header for read in spelled}
        other = _unlisted(headers)
        yield at(RULE, "failed", authorizer, f"reads the key header as {hows}, {len(headers)} spelling(s) of it: "
                                             "API Gateway passes header names as the client sent them, so a key "
                                             f"sent as {other} is refused; lower the names first", where)
    if not exact:
        yield at(RULE, "passed", authorizer, f"reads the {key_header} header whatever its case ({reads[0].how})",
                 reads[0].location)


def _unlisted(headers: set[str]) -> str:
    """A spelling of the header the code does not look up."""
    name = next(iter(headers))
    spellings = (name.lower(), "-".join(part.capitalize() for part in name.split("-")), name.upper())
    return next((s for s in spellings if s not in headers), name.swapcase())
