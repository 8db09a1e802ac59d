"""Shared questions about API Gateway v2 APIs and Lambda authorizers (GA102-GA105)."""

from __future__ import annotations

import re

from gateaudit.model import Block, Unknown

from ._references import target

# What an authorizer_uri of a Lambda function looks like, however it was built:
# arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations
INVOCATION_URI = re.compile(r"^arn:[^:]+:apigateway:[^:]*:lambda:path/[^/]+/functions/.+/invocations$")


def api_protocol(block: Block) -> str | Unknown | None:
    """The protocol_type ("HTTP" or "WEBSOCKET") of the aws_apigatewayv2_api that `block.api_id` names.

    None when api_id names no API of this stack (a literal id, a variable with no value); Unknown when the
    API is in the stack but its protocol_type cannot be resolved, or api_id may name APIs of both kinds.
    """
    apis = [api for api in target(block, "api_id", "aws_apigatewayv2_api") if api.kind == "resource"]
    if not apis:
        return None
    protocols = set()
    for api in apis:
        protocol = api.value("protocol_type")
        if isinstance(protocol, Unknown):
            return Unknown(f"protocol_type of {api.address} cannot be resolved: {protocol.reason}")
        protocols.add(str(protocol).upper())
    if len(protocols) > 1:
        return Unknown(f"api_id may name {' or '.join(sorted(map(str, protocols)))} APIs")
    return protocols.pop()


def kind(block: Block, argument: str, default: str | None) -> str | Unknown | None:
    """An authorizer's type argument, upper-cased, with the provider's default when it is not set."""
    value = block.value(argument, default)
    if value is None or isinstance(value, Unknown):
        return value
    return str(value).upper()
