"""GA301: a Lambda permission for API Gateway names the API that may invoke the function.

**What it checks**
Each `aws_lambda_permission` whose `principal` is `apigateway.amazonaws.com`, `"*"` or cannot be resolved.
`"*"` fails. For API Gateway, `source_arn` must be set and scoped to one API: derived from the
`execution_arn` of an `aws_api_gateway_rest_api` / `aws_apigatewayv2_api` (or of a stage) in the stack,
followed by nothing or a `/...` path, or a literal `arn:aws:execute-api:REGION:ACCOUNT:API_ID/...` whose
API-id position holds no wildcard. Permissions for other principals (S3, EventBridge...) are not judged.

**Why it matters**
Without `source_arn`, any API Gateway API in any AWS account may invoke the function: someone else's API
can call the backend and skip this API's authorizer entirely, or call the authorizer to probe keys. A
wildcard in the API-id position (`...:123456789012:*/*`) lets every API of the account do the same.

**Fails**
    resource "aws_lambda_function" "backend" {
      function_name = "fitness-backend"
      role          = "arn:aws:iam::123456789012:role/fitness-backend"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = "backend.zip"
    }

    resource "aws_lambda_permission" "apigw" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.backend.function_name
      principal     = "apigateway.amazonaws.com"
    }

**Passes**
    resource "aws_api_gateway_rest_api" "api" {
      name = "fitness"
    }

    resource "aws_lambda_function" "backend" {
      function_name = "fitness-backend"
      role          = "arn:aws:iam::123456789012:role/fitness-backend"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = "backend.zip"
    }

    resource "aws_lambda_permission" "apigw" {
      action        = "lambda:InvokeFunction"
      function_name = aws_lambda_function.backend.function_name
      principal     = "apigateway.amazonaws.com"
      source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/*/*"
    }

**Fix**
Set `principal = "apigateway.amazonaws.com"` and `source_arn` to the API's `execution_arn` followed by
`/STAGE/METHOD/PATH` (wildcards allowed there), or `/authorizers/ID` for an authorizer.

**Limits**
The rule checks that `source_arn` names one API, not that this API is the one integrating the function.
`source_account` alone does not pass: it still admits every API of that account. A value that
`format()`, `join()` or a conditional builds around an execution ARN known only after apply is unknown
(write it as a template). A stage's `execution_arn` followed by `*` without a `/` widens the stage name
only, and passes. The provider rejects `"*"` and wildcards in the partition, region and account of a
`source_arn`; the rule fails them too, should they arrive through a variable. `null` is not set.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gateaudit.model import Attribute, Block, Stack, Unknown
from gateaudit.provenance import built_by
from gateaudit.result import Result, Severity

from . import Rule

RULE = Rule(
    id="GA301",
    control="scoped-permission",
    severity=Severity.HIGH,
    title="Lambda permissions for API Gateway are scoped to one API with source_arn",
    rationale="A permission without a source_arn scoped to the API lets any API Gateway API, in any account, "
              "invoke the function and bypass this API's authorizer.",
    remediation='Set principal = "apigateway.amazonaws.com" and source_arn = '
                '"${aws_api_gateway_rest_api.<name>.execution_arn}/*/*" (or a narrower path).',
    mappings={
        "AWS Security Hub FSBP": ("Lambda.1",),
        "NIST SP 800-53 rev 5": ("AC-3", "AC-6"),
        "OWASP API Top 10 2023": ("API8:2023",),
    },
)

_EXECUTION_TYPES = ("aws_api_gateway_rest_api", "aws_apigatewayv2_api", "aws_api_gateway_stage",
                    "aws_apigatewayv2_stage", "aws_api_gateway_deployment")
_HOLE = re.compile(r"\$\{([^}]*)\}")
_EXECUTION_ARN = re.compile(rf"(?:^|\.)(?:data\.)?({'|'.join(_EXECUTION_TYPES)})\.[^.]+\.execution_arn$")
_API_ID = re.compile(rf"(?:^|\.)(?:data\.)?(?:{'|'.join(_EXECUTION_TYPES[:2])})\.[^.]+\.(?:id|api_id)$")
_FIX = 'set source_arn = "${aws_api_gateway_rest_api.<name>.execution_arn}/*/*" (or a narrower path)'


def check(stack: Stack) -> Iterator[Result]:
    for permission in stack.resources("aws_lambda_permission"):
        principal = permission.value("principal")
        if isinstance(principal, Unknown):
            yield RULE.unknown(permission, f"principal cannot be resolved ({principal.reason}): cannot "
                                           "tell whether API Gateway or anyone may invoke the function",
                               "principal")
        elif isinstance(principal, str) and principal.strip() == "*":
            yield RULE.failed(permission, 'principal is "*": any AWS account or service may invoke the '
                                          f'function; use "apigateway.amazonaws.com" and {_FIX}', "principal")
        elif isinstance(principal, str) and principal.strip().lower() == "apigateway.amazonaws.com":
            yield _judge_source(permission)


def _judge_source(permission: Block) -> Result:
    attribute = permission.get("source_arn")
    if attribute is None or attribute.value is None:  # null is the same as not set
        also = " (source_account alone still admits every API of that account)" \
            if permission.has("source_account") else ""
        return RULE.failed(permission, "source_arn is not set: any API Gateway API, in any account, may "
                                       f"invoke this function{also}; {_FIX}", "source_arn")
    value, text = attribute.value, None
    if isinstance(value, str):
        text = value
    elif isinstance(value, Unknown) and isinstance(value.partial, str):
        text = value.partial  # a template: "${ref}/..." holes where values are known only later
    elif isinstance(value, Unknown) and (built := built_by(attribute, value)) is not None:
        return RULE.unknown(permission, f"source_arn is built by {built} around a value known only after apply: "
                                        f"cannot tell which APIs it admits; {_FIX} as a template", "source_arn")
    elif isinstance(value, Unknown) and value.refs:
        text = "${" + value.refs[0] + "}"  # a bare reference
    if text is None:
        reason = value.reason if isinstance(value, Unknown) else "it is not a string"
        return RULE.unknown(permission, f"source_arn cannot be resolved: {reason}", "source_arn")
    return _judge_arn(permission, attribute, text, value.reason if isinstance(value, Unknown) else "")


def _judge_arn(permission: Block, attribute: Attribute, text: str, reason: str) -> Result:
    first = _HOLE.match(text)
    if first:  # "${<something>.execution_arn}/..."
        ref, rest, execution = first.group(1), text[first.end():], _EXECUTION_ARN.search(first.group(1))
        if not (execution and _refers(attribute, _EXECUTION_TYPES, "execution_arn")):
            return RULE.unknown(permission, f"source_arn starts with ${{{ref}}}, which is not the "
                                            f"execution_arn of an API in this stack ({reason})", "source_arn")
        if rest and not rest.startswith("/") and execution.group(1) in _EXECUTION_TYPES[:2]:  # not a stage's
            return RULE.failed(permission, f'source_arn appends "{rest}" to {ref} without a "/", which '
                                           f"wildcards the API id itself; {_FIX}", "source_arn")
        return RULE.passed(permission, f'source_arn "${{{ref}}}{rest}" is scoped to one API', "source_arn")
    holes = _HOLE.findall(text)
    masked = _HOLE.sub("\0", text)
    parts = masked.split(":", 5)
    if not masked.strip("*?"):
        return RULE.failed(permission, f'source_arn is "{text}": any API Gateway API, in any account, may '
                                       f"invoke this function; {_FIX}", "source_arn")
    if len(parts) < 6 or parts[0] != "arn" or parts[2] != "execute-api":
        return RULE.failed(permission, f'source_arn "{text}" is not the execute-api ARN of one API; {_FIX}',
                           "source_arn")
    wide = [name for name, part in (("partition", parts[1]), ("region", parts[3]), ("account", parts[4]))
            if "*" in part or "?" in part]
    if wide:
        return RULE.failed(permission, f'source_arn "{text}" has a wildcard for the {" and ".join(wide)}: APIs '
                                       f"of other accounts or regions may invoke this function; {_FIX}", "source_arn")
    api_id = parts[5].split("/")[0]
    if "*" in api_id or "?" in api_id or not api_id:
        return RULE.failed(permission, f'source_arn "{text}" has "{api_id}" where the API id goes: every '
                                       f"API of the account may invoke this function; {_FIX}", "source_arn")
    if "\0" in api_id:
        ref = holes[":".join(parts[:5]).count("\0")]
        if not (_API_ID.search(ref) and _refers(attribute, _EXECUTION_TYPES[:2], "id", "api_id")):
            return RULE.unknown(permission, f"the API id in source_arn comes from ${{{ref}}}, which is not "
                                            f"the id of an API in this stack ({reason})", "source_arn")
        return RULE.passed(permission, f"source_arn names one API, ${{{ref}}}", "source_arn")
    return RULE.passed(permission, f'source_arn names one API, "{api_id}"', "source_arn")


def _refers(attribute: Attribute, types: tuple[str, ...], *names: str) -> bool:
    """Does the argument reach (through locals, variables, modules) one of these attributes of those types?"""
    return any(r.block.type in types and r.attribute in names for r in attribute.references)
