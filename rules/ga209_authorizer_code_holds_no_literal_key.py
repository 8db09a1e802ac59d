"""GA209: the authorizer's code holds no literal key.

**What it checks**
Each Lambda authorizer whose function's code gateaudit can read (as GA107 finds it): the presented key must
not be compared with a literal written in the code (`== "abc123"`, `in ("k1", "k2")`, a dict of keys), nor with
an environment variable that the function's Terraform sets to a value written in the configuration
(`API_KEY = "abc123"` in `environment.variables`, or a variable's default). A key read from Secrets Manager or
Parameter Store, or from an environment variable set at apply time, passes. Results sit at the comparison.

**Why it matters**
A key written in code or configuration is in the repository, every clone and fork, the deployment package, the
plan and the state; it cannot be rotated without a release, and everyone who can read the repository can call
the API.

**Fails**
    data "archive_file" "authorizer" {
      type        = "zip"
      output_path = "authorizer.zip"

      source {
        filename = "handler.py"
        content  = <<-EOT
          import hmac

          def handler(event, context):
              presented = event["headers"].get("x-api-key") or ""
              allowed = hmac.compare_digest(presented, "docs-example-key-not-real")
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
          import hmac
          import boto3

          def handler(event, context):
              presented = event["headers"].get("x-api-key") or ""
              secret = boto3.client("secretsmanager").get_secret_value(SecretId="api-key")["SecretString"]
              allowed = hmac.compare_digest(presented.encode(), secret.encode())
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
Keep the key in Secrets Manager and read it at runtime (`get_secret_value`), with the secret's ARN, not its
value, in the function's environment; rotate the key that was written down.

**Limits**
Messages never show the literal. An environment variable set from a Terraform variable without a default, a
resource attribute or a data source is taken as set at apply time (GA202 judges what the environment holds).
When gateaudit finds no comparison of the key, the result is unknown.

**Settings**
`api-key-header` (top level of the config, default `"x-api-key"`): the header the presented key is read from.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, KeyComparison, Stack, Unknown, contains_unknown
from gateaudit.provenance import map_entries
from gateaudit.result import Result, Severity
from gateaudit.settings import Settings

from . import Rule
from ._code import Authorizer, at, judge_code, key_unseen

RULE = Rule(
    id="GA209",
    control="secret-not-hardcoded",
    severity=Severity.CRITICAL,
    title="The authorizer's code holds no literal key",
    rationale="A key written in code or configuration is in every clone, package, plan and state, and cannot be "
              "rotated without a release.",
    remediation="Read the key from Secrets Manager at runtime; never compare with a literal or an environment "
                "variable Terraform sets to a literal.",
    mappings={
        "NIST SP 800-53 rev 5": ("IA-5(7)", "SC-28"),
        "OWASP API Top 10 2023": ("API2:2023",),
    },
)


def check(stack: Stack, settings: Settings) -> Iterator[Result]:
    return judge_code(RULE, stack, settings.api_key_header, lambda found: _judge(found, settings.api_key_header))


def _judge(authorizer: Authorizer, key_header: str) -> Iterator[Result]:
    comparisons = authorizer.code.comparisons
    if not comparisons:
        why, where = key_unseen(authorizer, key_header)
        yield at(RULE, "unknown", authorizer, f"cannot tell what it compares the key with: {why}", where)
        return
    verdicts = [(comparison, _verdict(comparison, authorizer.function)) for comparison in comparisons]
    for comparison, (status, message) in verdicts:
        if status != "passed":
            yield at(RULE, status, authorizer, message, comparison.location)
    if all(status == "passed" for _, (status, _) in verdicts):
        yield at(RULE, "passed", authorizer, "; ".join(dict.fromkeys(m for _, (_, m) in verdicts)),
                 comparisons[0].location)


def _verdict(comparison: KeyComparison, function: Block) -> tuple[str, str]:
    if comparison.literal is not None:
        return "failed", (f"compares the presented key ({comparison.how}) with a literal written in the code: the "
                          "key is in the repository and the package; read it from Secrets Manager")
    if comparison.env is None:
        return "passed", f"compares the presented key with {comparison.against}, not a literal"
    return _environment(comparison.env, function)


def _environment(name: str, function: Block) -> tuple[str, str]:
    environments = function.blocks("environment")
    attribute = environments[0].get("variables") if environments else None
    if attribute is None:
        return "passed", f"reads the key from the environment variable {name}, which its Terraform does not set"
    variables = attribute.value
    if isinstance(variables, Unknown) and not map_entries(attribute):
        return "unknown", (f"reads the key from the environment variable {name}, and the function's "
                           f"environment cannot be resolved ({variables.reason})")
    value = variables.get(name) if isinstance(variables, dict) else None
    written = map_entries(attribute).get(name)
    if value is None and written is None:
        return "passed", f"reads the key from the environment variable {name}, which its Terraform does not set"
    if value is not None and not contains_unknown(value):
        where = written.location if written is not None else attribute.location
        return "failed", (f"reads the key from the environment variable {name}, which {function.address} sets to "
                          f"a value written in the configuration ({where}): the key is in the repository, the "
                          "plan and the state")
    return "passed", f"reads the key from the environment variable {name}, set at apply time"
