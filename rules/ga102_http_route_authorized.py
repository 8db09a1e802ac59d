"""GA102: every HTTP API route, and no quick-create catch-all, is guarded by an authorizer of its API.

**What it checks**
Each `aws_apigatewayv2_route` of an HTTP API, the `$default` route included: `authorization_type` must
not be `"NONE"` (the provider's default when it is not set). `CUSTOM` and `JWT` need an `authorizer_id`
that resolves to an `aws_apigatewayv2_authorizer` of the same `api_id`; `AWS_IAM` passes. Of a WebSocket
API only the `$connect` route is judged: the others cannot carry an authorizer. Each HTTP
`aws_apigatewayv2_api` is judged too: with `target` set (quick create) API Gateway adds a catch-all route
with no authorization that appears nowhere in the configuration. An open route read from a `for_each`
entry (`authorization_type = each.value.authorization_type`, an omitted `optional(string)` being null) fails
at that entry where the configuration writes it as a literal: a variable default, tfvars or module argument.

**Why it matters**
A route with no authorizer answers anyone who finds the URL; an authorizer of another API never runs
for this one. A quick-create API is open on every path through a route no review ever sees.

**Fails**
    resource "aws_apigatewayv2_api" "http" {
      name          = "fitness"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_route" "default" {
      api_id    = aws_apigatewayv2_api.http.id
      route_key = "$default"
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
    }

    resource "aws_apigatewayv2_route" "default" {
      api_id             = aws_apigatewayv2_api.http.id
      route_key          = "$default"
      authorization_type = "CUSTOM"
      authorizer_id      = aws_apigatewayv2_authorizer.api_key.id
    }

**Fix**
Set `authorization_type = "CUSTOM"` and `authorizer_id` to an authorizer of the same `api_id`; replace
an API's `target` with explicit routes, integrations and a stage.

**Limits**
No preflight exemption: an HTTP API answers CORS preflight itself when the API has `cors_configuration`,
so an explicit `OPTIONS` route with `"NONE"` is an open route like any other (in an OpenAPI `body` too: its
routes are judged as written ones, and a body that cannot be read is unknown at the API). A `target` that
depends on a condition is unknown: null would not quick-create.
Whether the authorizer's type matches the route's (REQUEST for CUSTOM, JWT for JWT) is left to API Gateway.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, Stack, Unknown
from gateaudit.provenance import instance_entry, is_conditional
from gateaudit.result import Result, Severity

from . import Rule
from ._authorizers import api_protocol
from ._references import same_target

RULE = Rule(
    id="GA102",
    control="authorizer-attached",
    severity=Severity.HIGH,
    title="HTTP API routes require an authorizer of their own API, and no quick-create catch-all route",
    rationale="A route with no authorizer, or one wired to another API's authorizer, is open to anyone.",
    remediation='Set authorization_type = "CUSTOM" and authorizer_id = aws_apigatewayv2_authorizer.<name>.id '
                "of the same api_id; do not set target on an HTTP aws_apigatewayv2_api.",
    mappings={
        "AWS Security Hub FSBP": ("APIGateway.8",),
        "NIST SP 800-53 rev 5": ("AC-3", "IA-2"),
        "OWASP API Top 10 2023": ("API2:2023", "API5:2023"),
    },
)

_NEEDS_AUTHORIZER = ("CUSTOM", "JWT")
_VALID = ("NONE", "AWS_IAM", *_NEEDS_AUTHORIZER)
_FIX = 'use "CUSTOM" with an authorizer_id of this API'
_AUTH = "authorization_type"


def check(stack: Stack) -> Iterator[Result]:
    judged = [_judge_api(api) for api in stack.resources("aws_apigatewayv2_api")]
    judged += [_judge_route(route) for route in stack.resources("aws_apigatewayv2_route")]
    yield from (result for result in judged if result is not None)


def _judge_api(api: Block) -> Result | None:
    protocol, attribute = api.value("protocol_type"), api.get("target")
    if isinstance(protocol, Unknown) and attribute is None:  # no quick create, whatever the protocol
        return RULE.passed(api, "no quick-create target: every route is an aws_apigatewayv2_route")
    if isinstance(protocol, Unknown):
        return RULE.unknown(
            api, f"target is set and protocol_type cannot be resolved: {protocol.reason}", "target")
    if str(protocol).upper() != "HTTP":
        return None
    if attribute is None or attribute.value is None:
        return RULE.passed(api, "no quick-create target: every route is an aws_apigatewayv2_route")
    if isinstance(attribute.value, Unknown) and is_conditional(attribute):
        return RULE.unknown(api, f"target cannot be resolved ({attribute.value.reason}): unless it is null, "
                                 "quick create adds a catch-all route with no authorization", "target")
    key = api.value("route_key", "$default")
    key = key if isinstance(key, str) else "$default"
    return RULE.failed(api, f'target is set: quick create adds route "{key}" with authorization "NONE", '
                            "open to anyone and absent from the configuration; remove target and declare "
                            "routes with an authorizer", "target")


def _judge_route(route: Block) -> Result | None:
    protocol, key = api_protocol(route), route.value("route_key")
    protocol = protocol if isinstance(protocol, str) else None  # only a resolved protocol is compared
    key = key if isinstance(key, str) else None
    if protocol == "WEBSOCKET" and key is not None and key != "$connect":
        return None  # only $connect of a WebSocket API can carry an authorizer
    authorization = route.value(_AUTH, "NONE")
    if isinstance(authorization, Unknown):
        return RULE.unknown(route, f"{_AUTH} cannot be resolved: {authorization.reason}", _AUTH)
    authorization = str(authorization).upper()
    if authorization not in _VALID:
        return RULE.failed(route, f'{_AUTH} is "{authorization}", which API Gateway rejects; {_FIX}', _AUTH)
    if authorization == "AWS_IAM":
        return RULE.passed(route, f"{_AUTH} is AWS_IAM (SigV4-signed callers only)", _AUTH)
    if authorization in _NEEDS_AUTHORIZER:
        return _judge_authorizer(route, authorization)
    if protocol == "WEBSOCKET" and key is None:
        return RULE.unknown(route, f'{_AUTH} is "NONE" and route_key cannot be resolved '
                                   f"({route.value('route_key').reason}): open if it is $connect", _AUTH)
    if protocol != "HTTP" and key != "$connect" and " /" not in (key or ""):
        unresolved = api_protocol(route)
        why = unresolved.reason if isinstance(unresolved, Unknown) else "api_id names no API of this stack"
        return RULE.unknown(route, f'{_AUTH} is "NONE" and the API\'s protocol cannot be told ({why}): the '
                                   "route is open if it belongs to an HTTP API", _AUTH)
    attribute = route.get(_AUTH)
    said = '"NONE"' if attribute is not None and attribute.value is not None else "not set (the default is NONE)"
    # Read from a for_each entry written in the configuration: the entry is where the route is defined and fixed.
    entry = instance_entry(attribute) if attribute is not None else None
    if entry is not None:
        return RULE.failed(route, f"{_AUTH} is {said} in this for_each entry of the route at {route.location}: "
                                  f"{key or 'the route'} is open to anyone; {_FIX} in the entry", _AUTH,
                           location=entry.location)
    return RULE.failed(route, f"{_AUTH} is {said} on {key or 'this route'}: anyone can call it; {_FIX}",
                       _AUTH)


def _judge_authorizer(route: Block, authorization: str) -> Result:
    attribute = route.get("authorizer_id")
    if attribute is None:
        return RULE.failed(route, f'{_AUTH} is "{authorization}" but authorizer_id is not set: no '
                                  "authorizer runs; set it to an aws_apigatewayv2_authorizer of this API",
                           "authorizer_id")
    authorizers = attribute.referenced_blocks("aws_apigatewayv2_authorizer")
    if not authorizers:
        value = attribute.value
        why = value.reason if isinstance(value, Unknown) else f'"{value}" is not an authorizer of this stack'
        return RULE.unknown(route, f"authorizer_id does not resolve to an aws_apigatewayv2_authorizer: {why}",
                            "authorizer_id")
    for authorizer in authorizers:
        same = same_target(authorizer.get("api_id"), route.get("api_id"), "aws_apigatewayv2_api")
        if isinstance(same, Unknown):
            return RULE.unknown(route, f"cannot tell whether {authorizer.address} belongs to this "
                                       "route's API", "authorizer_id")
        if not same:
            return RULE.failed(route, f"authorizer_id points at {authorizer.address}, an authorizer of "
                                      "another API: it never runs for this route; use one of this api_id",
                               "authorizer_id")
    return RULE.passed(route, f"{_AUTH} {authorization} with {authorizers[0].address}", "authorizer_id")
