"""GA101: every REST API method is guarded by an authorizer of its own API.

**What it checks**
Each `aws_api_gateway_method`: `authorization` must not be `"NONE"`. `CUSTOM` and `COGNITO_USER_POOLS`
need an `authorizer_id` that resolves to an `aws_api_gateway_authorizer` of the same REST API. An
`OPTIONS` method (or another verb the `cors-preflight-methods` option names) may stay open as a CORS
preflight only while its integration is `MOCK`.

**Why it matters**
A method with no authorizer answers anyone who finds the URL; an authorizer attached to another API
never runs for this one, so the method is open while the configuration looks guarded.

**Fails**
    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_api_gateway_method" "get" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      resource_id   = aws_api_gateway_rest_api.api.root_resource_id
      http_method   = "GET"
      authorization = "NONE"
    }

**Passes**
    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    data "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
    }

    resource "aws_api_gateway_authorizer" "api_key" {
      name            = "api-key"
      rest_api_id     = aws_api_gateway_rest_api.api.id
      type            = "REQUEST"
      identity_source = "method.request.header.x-api-key"
      authorizer_uri  = data.aws_lambda_function.authorizer.invoke_arn
    }

    resource "aws_api_gateway_method" "get" {
      rest_api_id   = aws_api_gateway_rest_api.api.id
      resource_id   = aws_api_gateway_rest_api.api.root_resource_id
      http_method   = "GET"
      authorization = "CUSTOM"
      authorizer_id = aws_api_gateway_authorizer.api_key.id
    }

**Fix**
Set `authorization = "CUSTOM"` and `authorizer_id` to an authorizer of the same `rest_api_id`.

**Limits**
`api_key_required = true` does not count as authentication: API keys identify clients for usage plans
and are not a security control. `AWS_IAM` passes: it is authentication, though not an authorizer.

**Options**
`cors-preflight-methods` (default `["OPTIONS"]`): the verbs that count as a CORS preflight, compared
upper-case. Each may stay open with a `MOCK` integration; `[]` leaves no verb open.

    [rules.GA101]
    cors-preflight-methods = ["OPTIONS", "HEAD"]
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, Stack, Unknown, all_true, same
from gateaudit.result import Result, Severity

from . import Rule, Settings
from ._references import points_at, same_target

RULE = Rule(
    id="GA101",
    control="authorizer-attached",
    severity=Severity.HIGH,
    title="REST API methods require an authorizer of their own API",
    rationale="An unauthenticated method, or one wired to another API's authorizer, is open to anyone.",
    remediation='Set authorization = "CUSTOM" and authorizer_id = aws_api_gateway_authorizer.<name>.id '
                "of the same rest_api_id.",
    mappings={  # FSBP APIGateway.8 judges API Gateway v2 routes only (AWS::ApiGatewayV2::Route): see GA102
        "NIST SP 800-53 rev 5": ("AC-3", "IA-2"),
        "OWASP API Top 10 2023": ("API2:2023", "API5:2023"),
    },
    options={"cors-preflight-methods": ["OPTIONS"]},
)

_NEEDS_AUTHORIZER = ("CUSTOM", "COGNITO_USER_POOLS")
_VALID = ("NONE", "AWS_IAM", *_NEEDS_AUTHORIZER)


def check(stack: Stack, settings: Settings) -> Iterator[Result]:
    integrations = stack.resources("aws_api_gateway_integration")
    preflight = {verb.upper() for verb in RULE.option(settings, "cors-preflight-methods")}
    for method in stack.resources("aws_api_gateway_method"):
        yield _judge(method, integrations, preflight)


def _judge(method: Block, integrations: list[Block], preflight: set[str]) -> Result:
    authorization = method.value("authorization")
    if authorization is None:
        return RULE.failed(method, 'authorization is not set; set "CUSTOM" with an authorizer_id of this REST API',
                           "authorization")
    if isinstance(authorization, Unknown):
        return RULE.unknown(method, f"authorization cannot be resolved: {authorization.reason}", "authorization")
    authorization = str(authorization).upper()
    if authorization not in _VALID:
        return RULE.failed(method, f'authorization is "{authorization}", which API Gateway does not accept; '
                                   'use "CUSTOM" with an authorizer_id of this REST API', "authorization")
    if authorization == "NONE":
        return _judge_open(method, integrations, preflight)
    if authorization == "AWS_IAM":
        return RULE.passed(method, "authorization is AWS_IAM (SigV4-signed callers only)", "authorization")
    return _judge_authorizer(method, authorization)


def _judge_open(method: Block, integrations: list[Block], preflight: set[str]) -> Result:
    verb = method.value("http_method")
    if isinstance(verb, Unknown):
        return RULE.unknown(method, f'authorization is "NONE" and http_method cannot be resolved: {verb.reason}',
                            "authorization")
    verb = str(verb).upper()
    if verb not in preflight:
        who = "anyone can call it"
        if method.value("api_key_required") is True:  # a usage-plan key identifies a client; it authenticates no one
            who = "any holder of a usage-plan API key can call it, and an API key is not authentication"
        return RULE.failed(method, f'authorization is "NONE" on {verb}: {who}; use "CUSTOM" with an '
                                   "authorizer_id of this REST API", "authorization")
    matches = [(integration, _integrates(integration, method)) for integration in integrations]
    mine = [integration for integration, match in matches if match is True]
    maybe = [(integration, match) for integration, match in matches if isinstance(match, Unknown)]
    if not mine and maybe:
        return _judge_maybe_integrated(method, verb, maybe)
    if not mine:
        return RULE.failed(method, f'{verb} method with authorization "NONE" has no integration in the stack; a '
                                   'preflight is exempt only with a MOCK integration', "authorization")
    types = [i.value("type") for i in mine]
    unknown = next((t for t in types if isinstance(t, Unknown)), None)
    if unknown is not None:
        return RULE.unknown(method, f"{verb} method is open and its integration type cannot be resolved: "
                                    f"{unknown.reason}", "authorization")
    backends = [t for t in types if str(t).upper() != "MOCK"]
    if backends:
        return RULE.failed(method, f'{verb} method with authorization "NONE" reaches a {backends[0]} backend; only '
                                   'a MOCK preflight may stay open: use "CUSTOM" or a MOCK integration',
                           "authorization")
    why = "exempt" if verb in RULE.options["cors-preflight-methods"] else "exempt: configured in cors-preflight-methods"
    return RULE.passed(method, f"{verb} preflight with a MOCK integration ({why})", "authorization")


def _judge_maybe_integrated(method: Block, verb: str, maybe: list[tuple[Block, Unknown]]) -> Result:
    """An open preflight with no integration surely its own, but some that may be (a verb from a variable)."""
    types = [integration.value("type") for integration, _ in maybe]
    integration, why = maybe[0]
    if any(isinstance(t, Unknown) or str(t).upper() == "MOCK" for t in types):
        return RULE.unknown(method, f"{verb} method is open and whether {integration.address} is its integration "
                                    f"cannot be resolved: {why.reason}; a preflight is exempt only with a MOCK "
                                    "integration", "authorization")
    # With none of them, it has no integration; with any, it reaches a backend: open either way.
    return RULE.failed(method, f'{verb} method with authorization "NONE" has no MOCK integration: '
                               f"{integration.address}, which may be its integration, reaches a {types[0]} backend; "
                               'use "CUSTOM" or a MOCK integration', "authorization")


def _integrates(integration: Block, method: Block) -> bool | Unknown:
    # The integration names the method through http_method = aws_api_gateway_method.x.http_method, or by
    # the same API, resource and verb; a part that cannot be resolved leaves the answer unknown, never False.
    if points_at(integration.get("http_method"), method):
        return True
    same_api = same_target(integration.get("rest_api_id"), method.get("rest_api_id"), "aws_api_gateway_rest_api")
    same_resource = same_target(integration.get("resource_id"), method.get("resource_id"),
                                "aws_api_gateway_resource", "aws_api_gateway_rest_api")
    same_verb = same(integration.value("http_method"), method.value("http_method"))
    return all_true(same_api, same_resource, same_verb)


def _judge_authorizer(method: Block, authorization: str) -> Result:
    attribute = method.get("authorizer_id")
    if attribute is None:
        return RULE.failed(method, f'authorization is "{authorization}" but authorizer_id is not set: no authorizer '
                                   "runs; set authorizer_id to an aws_api_gateway_authorizer of this REST API",
                           "authorizer_id")
    authorizers = attribute.referenced_blocks("aws_api_gateway_authorizer")
    if not authorizers:
        value = attribute.value
        reason = value.reason if isinstance(value, Unknown) else f'"{value}" is not an authorizer of this stack'
        return RULE.unknown(method, f"authorizer_id does not resolve to an aws_api_gateway_authorizer: {reason}",
                            "authorizer_id")
    for authorizer in authorizers:
        same = same_target(authorizer.get("rest_api_id"), method.get("rest_api_id"), "aws_api_gateway_rest_api")
        if isinstance(same, Unknown):
            return RULE.unknown(method, f"cannot tell whether {authorizer.address} belongs to this method's REST API",
                                "authorizer_id")
        if not same:
            return RULE.failed(method, f"authorizer_id points at {authorizer.address}, an authorizer of another REST "
                                       "API: it never runs for this method; use an authorizer of this rest_api_id",
                               "authorizer_id")
    return RULE.passed(method, f"authorization {authorization} with {authorizers[0].address}", "authorizer_id")
