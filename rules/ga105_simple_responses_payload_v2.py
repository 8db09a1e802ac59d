"""GA105: HTTP API Lambda authorizers set their payload format, and 2.0 when they give simple responses.

**What it checks**
Each `aws_apigatewayv2_authorizer` of type `REQUEST` on an HTTP API: `authorizer_payload_format_version`
must be set (`"1.0"` or `"2.0"`), and must be `"2.0"` when `enable_simple_responses = true`.

**Why it matters**
API Gateway requires the payload format of an HTTP API Lambda authorizer when it is created through an
API, CloudFormation or Terraform. With format 1.0 the function must return an IAM policy; a simple
`{"isAuthorized": true}` answer is an invalid response, and every call through the authorizer ends in
500. Both fail closed, but leave the API's routes unusable, which invites "temporarily" removing the
authorizer.

**Fails**
    resource "aws_apigatewayv2_api" "http" {
      name          = "fitness"
      protocol_type = "HTTP"
    }

    data "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
    }

    resource "aws_apigatewayv2_authorizer" "api_key" {
      api_id                            = aws_apigatewayv2_api.http.id
      name                              = "api-key"
      authorizer_type                   = "REQUEST"
      authorizer_uri                    = data.aws_lambda_function.authorizer.invoke_arn
      identity_sources                  = ["$request.header.x-api-key"]
      authorizer_payload_format_version = "1.0"
      enable_simple_responses           = true
    }

**Passes**
    resource "aws_apigatewayv2_api" "http" {
      name          = "fitness"
      protocol_type = "HTTP"
    }

    data "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
    }

    resource "aws_apigatewayv2_authorizer" "api_key" {
      api_id                            = aws_apigatewayv2_api.http.id
      name                              = "api-key"
      authorizer_type                   = "REQUEST"
      authorizer_uri                    = data.aws_lambda_function.authorizer.invoke_arn
      identity_sources                  = ["$request.header.x-api-key"]
      authorizer_payload_format_version = "2.0"
      enable_simple_responses           = true
    }

**Fix**
Set `authorizer_payload_format_version = "2.0"` (or keep 1.0 and return IAM policies, without
`enable_simple_responses`).

**Limits**
WebSocket authorizers (no payload format) and JWT authorizers are not judged. When `api_id` names no API
of the stack and neither argument is set, the result is unknown: an HTTP API needs the version, a
WebSocket API does not.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, Stack, Unknown
from gateaudit.result import Result, Severity

from . import Rule
from ._authorizers import api_protocol, kind

RULE = Rule(
    id="GA105",
    control="authorizer-attached",
    severity=Severity.LOW,
    title="HTTP API Lambda authorizers set a payload format version, 2.0 for simple responses",
    rationale="Without a payload format the authorizer is rejected; simple responses with format 1.0 "
              "make every authorized call fail.",
    remediation='Set authorizer_payload_format_version = "2.0" on the aws_apigatewayv2_authorizer.',
    mappings={
        "OWASP API Top 10 2023": ("API8:2023",),
    },
)

_VERSION = "authorizer_payload_format_version"
_SIMPLE = "enable_simple_responses"


def check(stack: Stack) -> Iterator[Result]:
    for authorizer in stack.resources("aws_apigatewayv2_authorizer"):
        authorizer_type = kind(authorizer, "authorizer_type", None)
        if isinstance(authorizer_type, Unknown):
            yield RULE.unknown(authorizer, f"authorizer_type cannot be resolved: {authorizer_type.reason}",
                               "authorizer_type")
        elif authorizer_type == "REQUEST":
            result = _judge(authorizer)
            if result is not None:
                yield result


def _judge(authorizer: Block) -> Result | None:
    protocol = api_protocol(authorizer)
    if isinstance(protocol, str) and protocol == "WEBSOCKET":
        return None  # WebSocket authorizers take no payload format version
    version, simple = authorizer.value(_VERSION), authorizer.value(_SIMPLE, False)
    if isinstance(version, Unknown):
        return RULE.unknown(authorizer, f"{_VERSION} cannot be resolved: {version.reason}", _VERSION)
    if isinstance(simple, Unknown):
        return RULE.unknown(authorizer, f"{_SIMPLE} cannot be resolved: {simple.reason}", _SIMPLE)
    if version is None and simple is not True and not isinstance(protocol, str):
        why = protocol.reason if isinstance(protocol, Unknown) else "api_id names no API of this stack"
        return RULE.unknown(authorizer, f"{_VERSION} is not set and the API's protocol cannot be told "
                                        f"({why}): an HTTP API requires it", _VERSION)
    if version is None:
        return RULE.failed(authorizer, f"{_VERSION} is not set: API Gateway requires it for HTTP API Lambda "
                                       'authorizers; set "2.0"', _VERSION)
    if simple is True and str(version) != "2.0":
        return RULE.failed(authorizer, f'{_SIMPLE} = true needs {_VERSION} "2.0", not "{version}": '
                                       "with 1.0 the function must return an IAM policy, and a simple answer "
                                       'is an invalid response (500 on every call); set "2.0"', _SIMPLE)
    shown = "simple responses" if simple is True else "IAM policy responses"
    return RULE.passed(authorizer, f'{_VERSION} "{version}" with {shown}', _VERSION)
