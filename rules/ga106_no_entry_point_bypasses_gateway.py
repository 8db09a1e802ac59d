"""GA106: a Lambda function an API invokes has no entry point that bypasses the gateway and its authorizer.

**What it checks**
The functions the stack's APIs invoke: a backend (the function an `aws_api_gateway_integration.uri` or
`aws_apigatewayv2_integration.integration_uri` refers to, directly, through an alias or by a literal ARN) and
an authorizer's Lambda (`authorizer_uri`). Each `aws_lambda_function_url` of such a function must set
`authorization_type = "AWS_IAM"`; `"NONE"` fails on the URL. Each `aws_lambda_permission` on such a function
fails when it lets anyone invoke it: `principal = "*"` with no `source_arn`, `source_account` or
`principal_org_id` (for `lambda:InvokeFunctionUrl` with `function_url_auth_type = "NONE"` too, the
permission that opens a URL to the public).

**Why it matters**
A Lambda authorizer guards the API, not the function: a backend that also answers on a public function URL,
or that anyone may invoke, is reached without the authorizer, the API key, throttling or access logs. An
authorizer's Lambda reached that way lets anyone probe keys without the API's limits.

**Fails**
    resource "aws_apigatewayv2_api" "api" {
      name          = "items-api"
      protocol_type = "HTTP"
    }

    resource "aws_lambda_function" "backend" {
      function_name = "items-backend"
      role          = "arn:aws:iam::123456789012:role/items-backend"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = "backend.zip"
    }

    resource "aws_apigatewayv2_integration" "items" {
      api_id                 = aws_apigatewayv2_api.api.id
      integration_type       = "AWS_PROXY"
      integration_uri        = aws_lambda_function.backend.invoke_arn
      payload_format_version = "2.0"
    }

    resource "aws_lambda_function_url" "backend" {
      function_name      = aws_lambda_function.backend.function_name
      authorization_type = "NONE"
    }

**Passes**
    resource "aws_apigatewayv2_api" "api" {
      name          = "items-api"
      protocol_type = "HTTP"
    }

    resource "aws_lambda_function" "backend" {
      function_name = "items-backend"
      role          = "arn:aws:iam::123456789012:role/items-backend"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = "backend.zip"
    }

    resource "aws_apigatewayv2_integration" "items" {
      api_id                 = aws_apigatewayv2_api.api.id
      integration_type       = "AWS_PROXY"
      integration_uri        = aws_lambda_function.backend.invoke_arn
      payload_format_version = "2.0"
    }

    resource "aws_lambda_function_url" "backend" {
      function_name      = aws_lambda_function.backend.function_name
      authorization_type = "AWS_IAM"
    }

**Fix**
Remove the function URL (callers go through the API), or set `authorization_type = "AWS_IAM"`; give an
`aws_lambda_permission` a specific `principal` (`apigateway.amazonaws.com` with the API's `source_arn`).

**Limits**
A function URL or permission on a function no API of the stack invokes is not judged (not applicable): there
is no authorizer to bypass, and a public webhook may be meant. Checkov's CKV_AWS_258 and Security Hub's
Lambda.1 judge every function. When an integration's function cannot be resolved, a public entry point on
any function may be its backend: unknown. A permission that does not open the function to anyone is left to
GA301, which judges how API Gateway's permissions are scoped. Integrations written in an OpenAPI `body` and
functions invoked through a Step Functions or other AWS service integration are not followed.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, Stack, Unknown
from gateaudit.result import Result, Severity

from . import Rule
from ._authorizers import Invoked, invoked_as, invoked_functions

RULE = Rule(
    id="GA106",
    control="authorizer-attached",
    severity=Severity.HIGH,
    title="Lambda functions an API invokes have no public function URL or permission that bypasses it",
    rationale="A backend anyone can invoke directly is reached without the API's authorizer.",
    remediation='Remove the function URL or set authorization_type = "AWS_IAM"; give aws_lambda_permission a '
                "specific principal, not \"*\".",
    mappings={
        "AWS Security Hub FSBP": ("Lambda.1",),
        "NIST SP 800-53 rev 5": ("AC-3",),
        "OWASP API Top 10 2023": ("API2:2023",),
    },
)

_SOURCES = ("source_arn", "source_account", "principal_org_id")  # each limits who "*" is


def check(stack: Stack) -> Iterator[Result]:
    urls = stack.resources("aws_lambda_function_url")
    permissions = [p for p in stack.resources("aws_lambda_permission") if _for_anyone(p.value("principal"))]
    if not urls and not permissions:
        return  # what the APIs invoke is worth finding only where something may bypass them
    invoked = invoked_functions(stack)
    for url in urls:
        result = _judge_url(url, invoked)
        if result is not None:
            yield result
    for permission in permissions:
        result = _judge_permission(permission, invoked)
        if result is not None:
            yield result


def _for_anyone(principal: object) -> bool:
    return isinstance(principal, Unknown) or principal == "*"


def _judge_url(url: Block, invoked: Invoked) -> Result | None:
    roles = invoked_as(url.get("function_name"), invoked)
    if isinstance(roles, list) and not roles:
        return None  # no API of the stack invokes this function: nothing to bypass
    attribute = url.get("authorization_type")
    auth = attribute.value if attribute is not None else None
    if isinstance(auth, Unknown):
        return RULE.unknown(url, f"authorization_type cannot be resolved ({auth.reason}): \"NONE\" would let "
                            f"anyone call {_whose(roles)} without the API's authorizer", attribute)
    if isinstance(auth, str) and auth.upper() == "AWS_IAM":
        return RULE.passed(url, f"the URL of {_whose(roles)} takes only SigV4-signed (AWS_IAM) calls", attribute)
    shown = f'is "{auth}"' if auth is not None else "is not set"
    if isinstance(roles, Unknown):
        return RULE.unknown(url, f"authorization_type {shown} and {roles.reason}; if it does, anyone with the "
                            "URL calls it without the API's authorizer", attribute or "authorization_type")
    return RULE.failed(url, f"authorization_type {shown}: anyone with the URL calls {_whose(roles)} directly, "
                       f"{_bypass(roles)}; remove the function URL or set authorization_type = \"AWS_IAM\"",
                       attribute or "authorization_type")


def _judge_permission(permission: Block, invoked: Invoked) -> Result | None:
    principal = permission.value("principal")  # "*" or unknown: a named principal is GA301's to judge
    action = permission.value("action")
    if isinstance(action, str) and not action.lower().startswith(("lambda:invoke", "lambda:*", "*")):
        return None  # not an invocation
    roles = invoked_as(permission.get("function_name"), invoked)
    if isinstance(roles, list) and not roles:
        return None
    doubt = next((v for v in (principal, action) if isinstance(v, Unknown)), None)
    limits = [name for name in _SOURCES if permission.value(name) is not None]
    unresolved = [name for name in limits if isinstance(permission.value(name), Unknown)]
    if doubt is None and limits and len(unresolved) < len(limits):
        return None  # "*" limited to a source or organisation
    url = isinstance(action, str) and action.lower() == "lambda:invokefunctionurl"
    how = " through its function URL, without authentication" if url else ""
    if doubt is not None or unresolved or isinstance(roles, Unknown):
        why = (doubt.reason if doubt is not None else f"{unresolved[0]} cannot be resolved" if unresolved
               else roles.reason)
        return RULE.unknown(permission, f"whether this permission lets anyone invoke {_whose(roles)}{how} cannot "
                            f"be told: {why}", "principal")
    return RULE.failed(permission, f'principal is "*" with no {", ".join(_SOURCES)}: anyone may invoke '
                       f"{_whose(roles)}{how}, {_bypass(roles)}; name the principal (apigateway.amazonaws.com "
                       "with the API's source_arn) or remove the permission", "principal")


def _whose(roles: list[str] | Unknown) -> str:
    """The function, by what invokes it: `the backend of aws_api_gateway_integration.get`."""
    if isinstance(roles, Unknown):
        return "the function"
    return f"the {', '.join(roles[:2])}" + (f" and {len(roles) - 2} more" if len(roles) > 2 else "")


def _bypass(roles: list[str]) -> str:
    if all(role.startswith("authorizer") for role in roles):
        return "probing keys without the API's throttling, WAF or access logs"
    return "without the API's authorizer, its key or access logs"
