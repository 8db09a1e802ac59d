"""GA208: integrations send no credential written in the configuration as a static header or query value.

**What it checks**
`request_parameters` of each `aws_api_gateway_integration` and `aws_apigatewayv2_integration`: a static value
sent to the backend. In a REST (or WebSocket) integration a static value is quoted in single quotes
(`"integration.request.header.Authorization" = "'Bearer abc...'"`); in an HTTP API integration it is any value
that is not a mapping (`"append:header.x-api-key" = "literal"`, `"overwrite:header.authorization"`); values
that map the request, context or stage variables (`method.request.header.x`, `$request.header.x`,
`$context.requestId`, `${stageVariables.token}`) are not static. A static header or query value fails when
it is a credential judged by name and value: under `Authorization`, `Proxy-Authorization` or a secret-like
name (`x-api-key`, `x-auth-token`, `api_key`) any value that does not only name or stand for one, and under
any name a value shaped like a credential (`Bearer <token>`, `Basic <base64>`, a JWT, a vendor token). A value
known only at apply time passes; one that cannot be resolved under a credential name is `unknown`.

**Why it matters**
A static header value is the integration's credential to the backend: written in the code, it is in the
repository, every plan, the state and the API's exported configuration, and anyone who reads them can call
the backend directly, past the authorizer.

**Fails**
    resource "aws_apigatewayv2_api" "http" {
      name          = "fitness"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_integration" "partner" {
      api_id             = aws_apigatewayv2_api.http.id
      integration_type   = "HTTP_PROXY"
      integration_method = "GET"
      integration_uri    = "https://partner.example.com/orders"

      request_parameters = {
        "append:header.x-api-key" = "pk-8d7f6e5c4b3a29181716151413121110"
      }
    }

**Passes**
    resource "aws_apigatewayv2_api" "http" {
      name          = "fitness"
      protocol_type = "HTTP"
    }

    resource "aws_apigatewayv2_integration" "partner" {
      api_id             = aws_apigatewayv2_api.http.id
      integration_type   = "HTTP_PROXY"
      integration_method = "GET"
      integration_uri    = "https://partner.example.com/orders"

      request_parameters = {
        "append:header.x-api-key" = "$${stageVariables.partner_key}"
      }
    }

**Fix**
Have the backend trust the caller another way (IAM, a VPC link, mutual TLS), or let a Lambda integration read
the credential from Secrets Manager at run time; a stage variable set at apply time keeps it out of the code,
not out of the stage's configuration.

**Limits**
Judges `request_parameters` only, not `request_templates` bodies nor `response_parameters`. One result per
integration that sets `request_parameters`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gateaudit.model import Attribute, Block, Stack, Unknown, contains_unknown, unknowns
from gateaudit.provenance import fixed_outcomes, map_entries, plain, supplied_at_apply
from gateaudit.result import Result, Severity

from . import Rule
from ._secrets import BY_NAME, credential_in, credential_in_template, credential_shape, named_credential, secret_like

RULE = Rule(
    id="GA208",
    control="secret-not-hardcoded",
    severity=Severity.CRITICAL,
    title="Integrations send no credential written in the configuration as a static header or query value",
    rationale="A static header value is the integration's credential to the backend, readable in the "
              "repository, every plan, the state and the API's exported configuration.",
    remediation="Let the backend trust the caller another way (IAM, VPC link, mutual TLS) or read the "
                "credential at run time from Secrets Manager.",
    mappings={"NIST SP 800-53 rev 5": ("IA-5(7)",)},
)

# `integration.request.header.Authorization`, `append:header.x-api-key`, `overwrite:querystring.token`.
_TARGET = re.compile(r"(?:^|[.:])(?:header|querystring)\.(?P<name>[^.]+)$", re.IGNORECASE)
_MAPPING = re.compile(r"^(?:method\.request\.|route\.request\.|context\.|stageVariables\.|\$)")
_AUTH_HEADERS = {"authorization", "proxy-authorization"}


def check(stack: Stack) -> Iterator[Result]:
    for integration in stack.resources("aws_api_gateway_integration", "aws_apigatewayv2_integration"):
        attribute = integration.get("request_parameters")
        if attribute is not None and attribute.value is not None:
            yield _judge(integration, attribute)


def _judge(integration: Block, attribute: Attribute) -> Result:
    parameters = attribute.value
    written = map_entries(attribute)
    keys = parameters if isinstance(parameters, dict) else written
    found, unsure = [], []
    for key in keys:
        target = _TARGET.search(key)
        if target is None:
            continue
        name = target.group("name")
        judged_as = "credential" if name.lower() in _AUTH_HEADERS else name
        value = parameters[key] if isinstance(parameters, dict) else written[key].value
        candidates = [value] if not contains_unknown(value) else (
            fixed_outcomes(written[key]) if key in written else [])
        why = next((w for text in candidates if (w := _static_credential(judged_as, text)) is not None), None)
        if why is None and isinstance(value, Unknown) and isinstance(value.partial, str):
            why = credential_in_template(judged_as, value.partial)  # `"Bearer ${var.x}q8Zt..."`: its text
        if why is not None:
            found.append(f"{key} ({'a literal under a credential name' if why == BY_NAME else why})")
        elif contains_unknown(value) and named_credential(judged_as) and not (
                plain(attribute) and all(map(supplied_at_apply, unknowns(value)))):
            unsure.append(f"{key} ({next(unknowns(value)).reason})")
    if found:
        return RULE.failed(integration, f"request_parameters send credentials written in the configuration: "
                                        f"{', '.join(found)}; let the backend trust the caller another way or "
                                        "read the credential at run time", attribute.path)
    if contains_unknown(parameters) and not isinstance(parameters, dict) and not written:
        return RULE.unknown(integration, f"request_parameters cannot be resolved: {next(unknowns(parameters)).reason}",
                            attribute.path)
    if unsure:
        return RULE.unknown(integration, "cannot tell whether these parameters send a credential written in the "
                                         f"configuration: {', '.join(unsure)}", attribute.path)
    return RULE.passed(integration, "request_parameters send no static credential", attribute.path)


def _static_credential(name: str, value: object) -> str | None:
    """Why a static parameter value is a credential, or None (also for a mapping, which is not static)."""
    if not isinstance(value, str):
        return None
    text = value.strip()
    if len(text) >= 2 and text[0] == text[-1] == "'":
        text = text[1:-1]  # a REST static value: `'Bearer abc'`
    elif _MAPPING.match(text) or "${stageVariables." in text:
        return None
    if secret_like(name) or name == "credential":
        return credential_in(name, text)
    return credential_shape(text)
