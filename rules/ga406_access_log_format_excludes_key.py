"""GA406: the access log format never writes the API key or the header that carries it.

**What it checks**
For each `aws_api_gateway_stage` and `aws_apigatewayv2_stage` with `access_log_settings`, the `format`
must not contain `$context.identity.apiKey` (the key itself; `apiKeyId` is fine), nor a request header
variable or `$input.params` naming the key's header or `Authorization`, nor `$input.params()` (every
parameter, headers included). The key's header is `x-api-key`, or the one `api-key-header` names in the
config: one stack-wide setting, which GA104 reads too. The format is read as evaluated (a literal, or
`jsonencode(local.fields)`); what is known of a partly unknown format is still searched. The result is on
the stage.

**Why it matters**
An access log line is written for every request, into a group many people and tools may read. A format
that includes the key copies the secret the authorizer protects into CloudWatch, where it outlives any
rotation for as long as the group's retention.

**Fails**
    resource "aws_apigatewayv2_api" "http" {
      name          = "fitness"
      protocol_type = "HTTP"
    }

    resource "aws_cloudwatch_log_group" "access" {
      name              = "/aws/apigateway/fitness-access"
      retention_in_days = 90
    }

    resource "aws_apigatewayv2_stage" "default" {
      api_id      = aws_apigatewayv2_api.http.id
      name        = "$default"
      auto_deploy = true
      access_log_settings {
        destination_arn = aws_cloudwatch_log_group.access.arn
        format          = jsonencode({ requestId = "$context.requestId", apiKey = "$context.identity.apiKey" })
      }
    }

**Passes**
    resource "aws_apigatewayv2_api" "http" {
      name          = "fitness"
      protocol_type = "HTTP"
    }

    resource "aws_cloudwatch_log_group" "access" {
      name              = "/aws/apigateway/fitness-access"
      retention_in_days = 90
    }

    resource "aws_apigatewayv2_stage" "default" {
      api_id      = aws_apigatewayv2_api.http.id
      name        = "$default"
      auto_deploy = true
      access_log_settings {
        destination_arn = aws_cloudwatch_log_group.access.arn
        format          = jsonencode({ requestId = "$context.requestId", keyId = "$context.identity.apiKeyId" })
      }
    }

**Fix**
Remove the field from `format`; log `$context.identity.apiKeyId` or `$context.authorizer.principalId` to
tell callers apart.

**Limits**
A stage without `access_log_settings` is left to GA401/GA403. `$context.authorizer.<property>` fails
only if the authorizer puts the key in its context, which the configuration does not show: not judged.
A format with unresolved parts and no forbidden field in its known text is unknown.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gateaudit.model import Stack, Unknown
from gateaudit.result import Result, Severity

from . import Rule, Settings
from ._logging import known_strings

RULE = Rule(
    id="GA406",
    control="logging-enabled",
    severity=Severity.HIGH,
    title="Stage access log formats do not log the API key or the header that carries it",
    rationale="An access log format with $context.identity.apiKey copies the key into every log line.",
    remediation="Remove $context.identity.apiKey and x-api-key/Authorization header fields from "
                "access_log_settings.format; log $context.identity.apiKeyId instead.",
    mappings={
        "NIST SP 800-53 rev 5": ("IA-5",),
        "OWASP API Top 10 2023": ("API8:2023",),
    },
)

def _forbidden(header: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    secret_header = rf"({re.escape(header)}|authorization)\b"
    return (
        (re.compile(r"\$\{?context\.identity\.apiKey(?!Id)"), "$context.identity.apiKey"),
        (re.compile(r"(?i)headers?\.[\"']?" + secret_header), "the key's request header"),
        (re.compile(r"(?i)\$input\.params\(\s*(['\"]" + secret_header + r"['\"])?\s*\)"), "$input.params"),
    )


def check(stack: Stack, settings: Settings) -> Iterator[Result]:
    forbidden = _forbidden(settings.api_key_header)
    for stage in stack.resources("aws_api_gateway_stage", "aws_apigatewayv2_stage"):
        settings = stage.blocks("access_log_settings")
        if not settings:
            continue
        attribute = settings[0].get("format")
        if attribute is None:
            yield RULE.unknown(stage, "access_log_settings has no format", "access_log_settings")
            continue
        texts: list[str] = []
        known = known_strings(attribute.value, texts)
        found = [what for pattern, what in forbidden for text in texts if pattern.search(text)]
        if found:
            yield RULE.failed(stage, f"access_log_settings.format logs {found[0]}, so every request writes "
                              "the API key to CloudWatch Logs; remove that field", attribute)
        elif not known:
            why = attribute.value.reason if isinstance(attribute.value, Unknown) else "a value is unknown"
            yield RULE.unknown(stage, f"access_log_settings.format cannot be fully resolved ({why}); its "
                               "known fields hold no API key", attribute)
        else:
            yield RULE.passed(stage, "the access log format holds no API key or key header", attribute)
