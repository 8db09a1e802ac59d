"""GA104: each Lambda authorizer takes its identity from the x-api-key header.

**What it checks**
Each `aws_api_gateway_authorizer` of type `REQUEST` or `TOKEN` (the default): `identity_source` (a
comma-separated list) must name `method.request.header.x-api-key`. Each `aws_apigatewayv2_authorizer` of
type `REQUEST`: `identity_sources` must name `$request.header.x-api-key` (HTTP API) or
`route.request.header.x-api-key` (WebSocket). Header names compare case-insensitively (`X-Api-Key`).
When `identity_source` is not set, the provider sends its default, `method.request.header.Authorization`.

**Why it matters**
API Gateway caches an authorizer's answer by its identity sources. When they leave out the key header,
a request with a wrong key (or none) gets the Allow cached for another request with the same other
values. A TOKEN authorizer receives only its identity source, so reading `Authorization` it never sees
the key; and without the key among its sources, API Gateway does not refuse requests that lack it.
A key taken from the query string travels in the URL, which access logs and proxies keep.

**Fails**
    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    data "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
    }

    resource "aws_api_gateway_authorizer" "api_key" {
      name           = "api-key"
      rest_api_id    = aws_api_gateway_rest_api.api.id
      type           = "REQUEST"
      authorizer_uri = data.aws_lambda_function.authorizer.invoke_arn
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

**Fix**
Name the key header among the identity sources: `identity_source = "method.request.header.x-api-key"`
(REST), `identity_sources = ["$request.header.x-api-key"]` (HTTP API) or
`identity_sources = ["route.request.header.x-api-key"]` (WebSocket API); messages name the configured header.

**Limits**
A TOKEN authorizer reading `Authorization` fails even if clients send the key there: the stack's contract
(and the logging rules) assume the key travels in x-api-key, or the header `api-key-header` names.
`COGNITO_USER_POOLS` and `JWT` authorizers are not judged.

**Settings**
`api-key-header` (top level of the config, default `"x-api-key"`): the header clients send the key in,
compared case-insensitively. Messages name the configured header; the title and fix name the default.
GA406 reads the same setting, to refuse the header in access log formats. (`[rules.GA104] header` is its
old, deprecated name: still applied, with a warning.)

    api-key-header = "x-fitness-key"
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, Stack, Unknown, unknowns
from gateaudit.result import Result, Severity

from . import Rule, Settings
from ._authorizers import api_protocol, kind

API_KEY_HEADER = Settings().api_key_header  # the default, named in the title and fix; checks use the setting

RULE = Rule(
    id="GA104",
    control="authorizer-attached",
    severity=Severity.HIGH,
    title=f"Lambda authorizers take their identity from the {API_KEY_HEADER} header",
    rationale="An authorizer cached by other identity sources reuses an Allow for requests with a wrong key.",
    remediation=f'Set identity_source = "method.request.header.{API_KEY_HEADER}" (REST) or '
                f'identity_sources = ["$request.header.{API_KEY_HEADER}"] (HTTP API) or '
                f'["route.request.header.{API_KEY_HEADER}"] (WebSocket API).',
    mappings={
        "NIST SP 800-53 rev 5": ("AC-3", "IA-2"),
        "OWASP API Top 10 2023": ("API2:2023",),
    },
)

# resource type -> (type argument, provider default, judged types, sources argument, header prefixes)
_AUTHORIZERS = {
    "aws_api_gateway_authorizer": ("type", "TOKEN", ("TOKEN", "REQUEST"), "identity_source",
                                   ("method.request.header.",)),
    "aws_apigatewayv2_authorizer": ("authorizer_type", None, ("REQUEST",), "identity_sources",
                                    ("$request.header.", "route.request.header.")),
}
_REST_DEFAULT = "method.request.header.Authorization"  # the provider's default identity_source


def check(stack: Stack, settings: Settings) -> Iterator[Result]:
    header = settings.api_key_header
    for authorizer in stack.resources(*_AUTHORIZERS):
        argument, default, judged, _, _ = _AUTHORIZERS[authorizer.type]
        authorizer_type = kind(authorizer, argument, default)
        if isinstance(authorizer_type, Unknown):
            yield RULE.unknown(authorizer, f"{argument} cannot be resolved: {authorizer_type.reason}",
                               argument)
        elif authorizer_type in judged:
            yield _judge(authorizer, authorizer_type, header)


def _judge(authorizer: Block, authorizer_type: str, key_header: str) -> Result:
    _, _, _, argument, prefixes = _AUTHORIZERS[authorizer.type]
    rest = authorizer.type == "aws_api_gateway_authorizer"
    value = authorizer.value(argument, _REST_DEFAULT if rest else None)
    unknown = next(unknowns(value), None)
    if unknown is not None:
        return RULE.unknown(authorizer, f"{argument} cannot be resolved: {unknown.reason}", argument)
    items = value.split(",") if isinstance(value, str) else value or []
    sources = [str(item).strip() for item in items if str(item).strip()]
    headers = [s[len(p):] for s in sources for p in prefixes if s.lower().startswith(p.lower())]
    if any(header.lower() == key_header.lower() for header in headers):
        return RULE.passed(authorizer, f"{argument} names the {key_header} header", argument)
    if authorizer.has(argument):
        has = f"is {', '.join(sources)}, which does not name" if sources else "is empty, so it does not name"
    elif rest:
        has = f"is not set, so the provider sends {_REST_DEFAULT}, which does not name"
    else:
        has = "is not set, so it does not name"
    why = _consequence(authorizer, authorizer_type, sources, key_header)
    return RULE.failed(authorizer, f"{argument} {has} the {key_header} header: {why}; add "
                                   f"{_spelling(authorizer, sources, prefixes, key_header)}", argument)


def _spelling(authorizer: Block, sources: list[str], prefixes: tuple[str, ...], key_header: str) -> str:
    """The identity source naming the key header as this authorizer's API spells it: WebSocket APIs take
    `route.request.header.<name>`, HTTP APIs `$request.header.<name>`."""
    if len(prefixes) == 1:
        return f"{prefixes[0]}{key_header}"
    protocol = api_protocol(authorizer)
    if not isinstance(protocol, str):  # the API is not in the stack: its sources' spelling tells the protocol
        spelled = {p for s in sources for p in prefixes if s.lower().startswith(p.split("header.")[0].lower())}
        protocol = ("WEBSOCKET" if spelled == {prefixes[1]} else "HTTP" if spelled == {prefixes[0]}
                    else None)
    if protocol == "WEBSOCKET":
        return f"{prefixes[1]}{key_header}"
    if protocol == "HTTP":
        return f"{prefixes[0]}{key_header}"
    return f"{prefixes[0]}{key_header} (HTTP API) or {prefixes[1]}{key_header} (WebSocket API)"


def _consequence(authorizer: Block, authorizer_type: str, sources: list[str], key_header: str) -> str:
    if authorizer_type == "TOKEN":
        return "a TOKEN authorizer receives only that value and never sees the key"
    if not sources:
        return f"API Gateway calls the authorizer whether or not a request carries {key_header}"
    query = next((s for s in sources if ".querystring." in s.lower()), None)
    if query is not None:
        return f"a key sent as {query} travels in the URL, which access logs and proxies keep"
    ttl = authorizer.value("authorizer_result_ttl_in_seconds", 300)  # the provider's default (REST, HTTP)
    protocol = api_protocol(authorizer)
    if isinstance(protocol, str) and protocol == "WEBSOCKET":
        ttl = 0  # caching is supported for REST and HTTP API authorizers only
    if isinstance(ttl, Unknown) or (isinstance(ttl, int | float) and ttl > 0):
        return ("its answer is cached by those values, so a request with a wrong key is allowed after "
                "one with the same values was")
    return f"API Gateway requires those values, not {key_header}, before it calls the authorizer"
