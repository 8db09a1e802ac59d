"""Shared questions about API Gateway v2 APIs, Lambda authorizers (GA102-GA105) and the Lambda functions
API Gateway invokes (GA106)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gateaudit.model import Attribute, Block, Stack, Unknown

from ._logging import same_text, text_of
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



# What calls a Lambda function through API Gateway: resource type -> (argument naming the function, its role,
# type argument, provider default, the types that call a Lambda function; HTTP_PROXY or MOCK name none).
_CALLERS = {
    "aws_api_gateway_integration": ("uri", "backend of", "type", None, ("AWS", "AWS_PROXY")),
    "aws_apigatewayv2_integration": ("integration_uri", "backend of", "integration_type", None, ("AWS_PROXY",)),
    "aws_api_gateway_authorizer": ("authorizer_uri", "authorizer's Lambda of", "type", "TOKEN",
                                   ("TOKEN", "REQUEST")),
    "aws_apigatewayv2_authorizer": ("authorizer_uri", "authorizer's Lambda of", "authorizer_type", None,
                                    ("REQUEST",)),
}
_FUNCTION_ARN = re.compile(r"arn:[^:]+:lambda:[^:]*:[^:]*:function:([^:/${}]+)")


@dataclass(frozen=True)
class Invoked:
    """The Lambda functions API Gateway invokes in a stack, found from its integrations and authorizers.

    `functions`: each function block the stack declares (by id) with what calls it (`backend of
    aws_api_gateway_integration.get`); `by_name`: functions named by a literal ARN -> what calls them;
    `doubts`: callers whose function cannot be told (a `uri` from a variable with no value), saying why."""

    functions: dict[int, tuple[Block, list[str]]] = field(default_factory=dict)
    by_name: dict[str, list[str]] = field(default_factory=dict)
    doubts: list[str] = field(default_factory=list)


def invoked_functions(stack: Stack) -> Invoked:
    """Which Lambda functions the stack's APIs invoke, as backends or authorizers."""
    invoked = Invoked()
    for caller in stack.resources(*_CALLERS):
        argument, role, type_argument, default, lambda_types = _CALLERS[caller.type]
        attribute = caller.get(argument)
        caller_type = kind(caller, type_argument, default)
        if attribute is None or (isinstance(caller_type, str) and caller_type not in lambda_types):
            continue
        label = f"{role} {caller.address}"
        functions = _functions(attribute)
        for function in functions:
            invoked.functions.setdefault(id(function), (function, []))[1].append(label)
        value = attribute.value
        text = value.partial if isinstance(value, Unknown) else value
        named = _FUNCTION_ARN.search(text) if isinstance(text, str) else None
        if functions:
            continue
        if named is not None:
            invoked.by_name.setdefault(named.group(1), []).append(label)
        elif isinstance(value, Unknown) and (not isinstance(text, str) or ":lambda:" in text):
            invoked.doubts.append(f"{caller.address}.{argument} cannot be resolved ({value.reason})")
    return invoked


def invoked_as(attribute: Attribute | None, invoked: Invoked) -> list[str] | Unknown:
    """What invokes, through API Gateway, the Lambda function an argument (a `function_name`) names: [] when
    the stack's APIs invoke none of it; Unknown when that cannot be told."""
    if attribute is None:
        return []
    functions = _functions(attribute)
    roles = [role for function in functions for role in invoked.functions.get(id(function), (None, []))[1]]
    doubts = list(invoked.doubts)
    if functions:
        names = [name for function in functions if (name := text_of(function.get("function_name")))]
    else:
        value = attribute.value
        if isinstance(value, Unknown):
            return Unknown(f"cannot tell whether API Gateway invokes this function: {attribute.path} cannot be "
                           f"resolved ({value.reason})")
        named = _FUNCTION_ARN.search(str(value))
        names = [(named.group(1) if named else str(value), True)]
        for function, function_roles in invoked.functions.values():
            doubts += _same_name(names[0], text_of(function.get("function_name")), function.address,
                                 function_roles, roles)
    for name in names:
        for literal, literal_roles in invoked.by_name.items():
            doubts += _same_name(name, (literal, True), literal, literal_roles, roles)
    if roles:
        return list(dict.fromkeys(roles))
    if doubts:
        return Unknown(f"cannot tell whether API Gateway invokes this function: {doubts[0]}")
    return []


def _same_name(name: tuple[str, bool], other: tuple[str, bool] | None, what: str, other_roles: list[str],
               roles: list[str]) -> list[str]:
    """Adds `other_roles` to `roles` when the two function names are the same; the doubt when it cannot be told."""
    same = same_text(name, other)
    if same is True:
        roles += other_roles
    elif isinstance(same, Unknown):
        return [f"it may be {what} ({other_roles[0]}): {same.reason}"]
    return []


def _functions(attribute: Attribute) -> list[Block]:
    """The Lambda functions an argument refers to, directly or through an alias of one."""
    functions = attribute.referenced_blocks("aws_lambda_function")
    for alias in attribute.referenced_blocks("aws_lambda_alias"):
        name = alias.get("function_name")
        functions += name.referenced_blocks("aws_lambda_function") if name is not None else []
    return list({id(function): function for function in functions}.values())
