"""GA103: each Lambda authorizer invokes a Lambda function of this stack, through its invocation URI.

**What it checks**
Each `aws_api_gateway_authorizer` of type `TOKEN` (the default) or `REQUEST`, and each
`aws_apigatewayv2_authorizer` of type `REQUEST`: `authorizer_uri` must resolve (through locals,
variables and modules) to the `invoke_arn` (or `qualified_invoke_arn`) of an `aws_lambda_function` or
`aws_lambda_alias` of the stack, or to an invocation URI built around one
(`arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`).

**Why it matters**
An authorizer runs whatever `authorizer_uri` names. A function ARN (`.arn`) is not an invocation URI:
API Gateway cannot call it and the authorizer never works. A function outside the stack is code whose
logic, permissions and logging no rule here has seen.

**Fails**
    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
      role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = "authorizer.zip"
    }

    resource "aws_api_gateway_authorizer" "api_key" {
      name            = "api-key"
      rest_api_id     = aws_api_gateway_rest_api.api.id
      type            = "REQUEST"
      identity_source = "method.request.header.x-api-key"
      authorizer_uri  = aws_lambda_function.authorizer.arn
    }

**Passes**
    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
      role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = "authorizer.zip"
    }

    resource "aws_api_gateway_authorizer" "api_key" {
      name            = "api-key"
      rest_api_id     = aws_api_gateway_rest_api.api.id
      type            = "REQUEST"
      identity_source = "method.request.header.x-api-key"
      authorizer_uri  = aws_lambda_function.authorizer.invoke_arn
    }

**Fix**
Set `authorizer_uri = aws_lambda_function.<name>.invoke_arn` of the authorizer function in this stack.

**Limits**
`COGNITO_USER_POOLS` (REST) and `JWT` (v2) authorizers have no `authorizer_uri` and are not judged.
A literal invocation URI, a `data.aws_lambda_function`, or a value that cannot be resolved is unknown:
the function may exist, but not in this stack. A literal that is not an invocation URI fails.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, Stack, Unknown
from gateaudit.result import Result, Severity

from . import Rule
from ._authorizers import INVOCATION_URI, kind

RULE = Rule(
    id="GA103",
    control="authorizer-attached",
    severity=Severity.MEDIUM,
    title="Lambda authorizers invoke a Lambda function of this stack through its invocation URI",
    rationale="An authorizer whose URI is a bare function ARN never runs; one calling a function outside "
              "the stack runs code no check has seen.",
    remediation="Set authorizer_uri = aws_lambda_function.<name>.invoke_arn of the authorizer function in "
                "this stack.",
    mappings={
        "NIST SP 800-53 rev 5": ("AC-3",),
        "OWASP API Top 10 2023": ("API2:2023",),
    },
)

# resource type -> (type argument, provider default, types that call a Lambda function)
_AUTHORIZERS = {
    "aws_api_gateway_authorizer": ("type", "TOKEN", ("TOKEN", "REQUEST")),
    "aws_apigatewayv2_authorizer": ("authorizer_type", None, ("REQUEST",)),
}
_FUNCTIONS = ("aws_lambda_function", "aws_lambda_alias")
_INVOKE = ("invoke_arn", "qualified_invoke_arn")
_URI = "authorizer_uri"
_FIX = "use aws_lambda_function.<name>.invoke_arn of this stack"


def check(stack: Stack) -> Iterator[Result]:
    for authorizer in stack.resources(*_AUTHORIZERS):
        argument, default, lambda_types = _AUTHORIZERS[authorizer.type]
        authorizer_type = kind(authorizer, argument, default)
        if isinstance(authorizer_type, Unknown) and not authorizer.has(_URI):
            yield RULE.unknown(authorizer, f"{argument} cannot be resolved: {authorizer_type.reason}",
                               argument)
        elif isinstance(authorizer_type, Unknown) or authorizer_type in lambda_types:
            yield _judge_uri(authorizer, authorizer_type)


def _judge_uri(authorizer: Block, authorizer_type: str | Unknown) -> Result:
    attribute = authorizer.get(_URI)
    if attribute is None:
        return RULE.failed(authorizer, f"{_URI} is not set: a {authorizer_type} authorizer has no function "
                                       f"to call; {_FIX}", _URI)
    value = attribute.value
    text = value.partial if isinstance(value, Unknown) else value
    built = isinstance(text, str) and INVOCATION_URI.match(text) is not None  # the URI written out
    refs = attribute.references
    functions = [r for r in refs if r.block.kind == "resource" and r.block.type in _FUNCTIONS]
    for ref in functions:
        if ref.attribute is None:
            return RULE.unknown(authorizer, f"{_URI} uses {ref.block.address} as a whole object: cannot tell "
                                            "which of its attributes it takes", _URI)
        if ref.attribute not in _INVOKE and not built:
            return RULE.failed(authorizer, f"{_URI} is {ref.block.address}.{ref.attribute}, not an "
                                           f"invocation URI: API Gateway cannot call it; {_FIX}", _URI)
    if functions:
        return RULE.passed(authorizer, f"invokes {functions[0].block.address}", _URI)
    looked_up = [r.block for r in refs if r.block.kind == "data" and r.block.type in _FUNCTIONS]
    if looked_up:
        return RULE.unknown(authorizer, f"{_URI} invokes {looked_up[0].address}, a function managed outside "
                                        "this stack whose code and permissions are not checked here", _URI)
    if isinstance(value, Unknown):
        return RULE.unknown(authorizer, f"{_URI} does not resolve to a Lambda function of this stack: "
                                        f"{value.reason}", _URI)
    if built:
        return RULE.unknown(authorizer, f"{_URI} names a function by a literal ARN: cannot tell whether it "
                                        f"is a function of this stack; {_FIX}", _URI)
    return RULE.failed(authorizer, f'{_URI} "{value}" is not a Lambda invocation URI (arn:aws:apigateway:'
                                   "<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations); "
                                   f"{_FIX}", _URI)
