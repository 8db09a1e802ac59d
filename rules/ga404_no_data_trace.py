"""GA404: full request and response logging (data trace) is off, so the key never reaches the logs.

**What it checks**
`aws_api_gateway_method_settings`: `settings.data_trace_enabled` must not be `true`. Each
`aws_apigatewayv2_stage` of a WebSocket API: neither `default_route_settings` nor any `route_settings`
block may set `data_trace_enabled = true`. Unset or `false` passes; so does a stage of an HTTP API
(`protocol_type = "HTTP"`), where API Gateway supports no data trace and the provider never sends it. The
result is on the resource that sets it.

**Why it matters**
Data trace writes whole requests and responses to the execution log. API Gateway redacts the header
values it knows as credentials, but the payloads go in as they are: for a Lambda proxy integration the
endpoint request body is the event with every request header, `x-api-key` included. The secret the
authorizer protects then sits in CloudWatch, readable by anyone allowed `logs:GetLogEvents`, for as long
as the log group keeps it. AWS advises against data trace for production APIs.

**Fails**
    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_api_gateway_deployment" "api" {
      rest_api_id = aws_api_gateway_rest_api.api.id
    }

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
    }

    resource "aws_api_gateway_method_settings" "all" {
      rest_api_id = aws_api_gateway_rest_api.api.id
      stage_name  = aws_api_gateway_stage.prod.stage_name
      method_path = "*/*"
      settings {
        logging_level      = "INFO"
        data_trace_enabled = true
      }
    }

**Passes**
    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_api_gateway_deployment" "api" {
      rest_api_id = aws_api_gateway_rest_api.api.id
    }

    resource "aws_api_gateway_stage" "prod" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      deployment_id = aws_api_gateway_deployment.api.id
      stage_name    = "prod"
    }

    resource "aws_api_gateway_method_settings" "all" {
      rest_api_id = aws_api_gateway_rest_api.api.id
      stage_name  = aws_api_gateway_stage.prod.stage_name
      method_path = "*/*"
      settings {
        logging_level      = "INFO"
        data_trace_enabled = false
      }
    }

**Fix**
Set `data_trace_enabled = false` (or remove it); log what you need through the access log format.

**Limits**
`data_trace_enabled = true` fails even with `logging_level = "OFF"`: it writes the key as soon as
execution logging is turned on, which GA402 asks for. Severity is high because the finding is a leak of
the credential itself, not a missing record.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, Stack, Unknown
from gateaudit.result import Result, Severity

from . import Rule
from ._references import target

RULE = Rule(
    id="GA404",
    control="logging-enabled",
    severity=Severity.HIGH,
    title="Data trace (full request and response logging) is off",
    rationale="Full request logging writes the x-api-key the authorizer checks into CloudWatch Logs.",
    remediation="Set data_trace_enabled = false (or remove it) in aws_api_gateway_method_settings.settings "
                "and in aws_apigatewayv2_stage route settings.",
    mappings={
        "NIST SP 800-53 rev 5": ("IA-5",),
        "OWASP API Top 10 2023": ("API8:2023",),
    },
)


def check(stack: Stack) -> Iterator[Result]:
    for settings in stack.resources("aws_api_gateway_method_settings"):
        yield _judge(settings, settings.blocks("settings"), "setting")
    for stage in stack.resources("aws_apigatewayv2_stage"):
        apis = [api.value("protocol_type") for api in target(stage, "api_id", "aws_apigatewayv2_api")]
        if apis and all(isinstance(p, str) and p == "HTTP" for p in apis):
            yield RULE.passed(stage, "a stage of an HTTP API: API Gateway has no data trace for it")
            continue
        routes = stage.blocks("default_route_settings") + stage.blocks("route_settings")
        yield _judge(stage, routes, "route setting")


def _judge(block: Block, nested: list[Block], what: str) -> Result:
    unknown, seen = None, None
    for settings in nested:
        attribute = settings.get("data_trace_enabled")
        value = attribute.value if attribute is not None else None
        seen = seen or attribute
        if isinstance(value, Unknown):
            unknown = unknown or (attribute, value)
        elif value is True or value == "true":
            return RULE.failed(block, f"{attribute.path} is true: full requests, x-api-key included, are "
                               "written to CloudWatch Logs; set it to false", attribute)
    if unknown is not None:
        return RULE.unknown(block, f"{unknown[0].path} cannot be resolved: {unknown[1].reason}", unknown[0])
    return RULE.passed(block, f"no {what} turns on data trace", seen)
