"""GA405: each Lambda function, the authorizer first, logs to a log group of the stack with a retention.

**What it checks**
For each `aws_lambda_function`, the stack must hold the `aws_cloudwatch_log_group` it writes to: the one
`logging_config.log_group` names, else `/aws/lambda/<function_name>`. That group needs
`retention_in_days` above 0. Names are compared as values; when both are built from an unresolved
variable, as templates (`"/aws/lambda/${var.name}"`), or by reference (`name =
"/aws/lambda/${aws_lambda_function.f.function_name}"`). A missing group fails on the function; a group
without retention fails on the group.

**Why it matters**
A function whose group is not in the stack still logs: Lambda creates the group on first run, outside
Terraform, with no retention, so the authorizer's records of every key it refused are kept forever (cost
and exposure grow) and no review ever sets a limit. `retention_in_days = 0` means the same: never expire.

**Fails**
    resource "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
      role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = "authorizer.zip"
    }

**Passes**
    resource "aws_lambda_function" "authorizer" {
      function_name = "api-key-authorizer"
      role          = "arn:aws:iam::123456789012:role/api-key-authorizer"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = "authorizer.zip"
    }

    resource "aws_cloudwatch_log_group" "authorizer" {
      name              = "/aws/lambda/api-key-authorizer"
      retention_in_days = 90
    }

**Fix**
Add `aws_cloudwatch_log_group` named `/aws/lambda/<function_name>` (or set `logging_config.log_group` to
it) with `retention_in_days`, e.g. 90; build both names from the same local.

**Limits**
Every function is judged, not only authorizers (messages name the authorizer): all of a stack's
functions log what they are sent, and finding "the authorizer" through `authorizer_uri` fails for
literal ARNs, aliases and modules not loaded. A group named by a data source or unresolvable names is
unknown. No minimum retention is required: the period is the organisation's choice.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Attribute, Block, Stack, Unknown
from gateaudit.provenance import template_of
from gateaudit.result import Result, Severity

from . import Rule
from ._logging import same_text, text_of

RULE = Rule(
    id="GA405",
    control="logging-enabled",
    severity=Severity.MEDIUM,
    title="Lambda functions log to a log group of the stack with a retention period",
    rationale="Lambda creates a missing log group itself, outside Terraform, and its logs never expire.",
    remediation='Add aws_cloudwatch_log_group "/aws/lambda/<function_name>" with retention_in_days, e.g. 90.',
    mappings={"NIST SP 800-53 rev 5": ("AU-11",)},
)


def check(stack: Stack) -> Iterator[Result]:
    groups = [(group, text_of(group.get("name"))) for group in stack.resources("aws_cloudwatch_log_group")]
    authorizers = {id(f) for a in stack.resources("aws_api_gateway_authorizer", "aws_apigatewayv2_authorizer")
                   for f in _targets(a.get("authorizer_uri"), "aws_lambda_function")}
    judged: set[int] = set()
    for function in stack.resources("aws_lambda_function"):
        what = f"{'authorizer ' if id(function) in authorizers else ''}function {function.address}"
        named, expected = _log_group_name(function)
        direct = _targets(named, "aws_cloudwatch_log_group")
        mine = [g for g in direct if g.kind == "resource"]
        if direct and not mine:
            yield RULE.unknown(function, f"{named.path} names a log group read by a data source: its "
                               "retention is set outside this configuration", named)
            continue
        if not direct:
            mine, doubt = _matching(function if named is None else None, expected, groups)
            if doubt is not None:
                yield RULE.unknown(function, doubt)
                continue
        if not mine:
            shown = f'"{expected[0]}"' if expected else "/aws/lambda/<function_name>"
            yield RULE.failed(function, f"no aws_cloudwatch_log_group in the stack is named {shown}: "
                              "Lambda creates it on first run, and its logs never expire; add it with "
                              "retention_in_days")
        for group in mine:
            if id(group) not in judged:
                judged.add(id(group))
                yield _retention(group, what)


def _targets(attribute: Attribute | None, kind: str) -> list[Block]:
    return attribute.referenced_blocks(kind) if attribute is not None else []


def _log_group_name(function: Block) -> tuple[Attribute | None, tuple[str, bool] | None]:
    """`logging_config.log_group` when set, and the name the function logs to (as `text_of` gives it)."""
    config = function.blocks("logging_config")
    named = config[0].get("log_group") if config else None
    if named is not None and named.value is not None:
        return named, text_of(named)
    name = text_of(function.get("function_name"))
    return None, (f"/aws/lambda/{name[0]}", name[1]) if name else None


def _matching(function: Block | None, expected: tuple[str, bool] | None,
              groups: list[tuple[Block, tuple[str, bool] | None]]) -> tuple[list[Block], str | None]:
    """The groups named as expected (or after `function`, when it logs to its default group); or, when
    none is and some might be, why it cannot be told."""
    matches, doubt = [], None
    for group, name in groups:
        by_reference = function is not None and _names(group.get("name"), function)
        same = True if by_reference else same_text(name, expected)
        if same is True:
            matches.append(group)
        elif isinstance(same, Unknown) and doubt is None:
            doubt = f"cannot tell whether {group.address} is the function's log group: {same.reason}"
    return matches, (doubt if not matches else None)


def _names(name: Attribute | None, function: Block) -> bool:
    """`name = "/aws/lambda/${<function>.function_name}"`, however the reference is spelled."""
    parts = template_of(name) if name is not None else None
    return (parts is not None and len(parts) == 2 and parts[0] == "/aws/lambda/" and parts[1] is True
            and any(r.block is function and r.attribute == "function_name" for r in name.references))


def _retention(group: Block, what: str) -> Result:
    attribute = group.get("retention_in_days")
    days = attribute.value if attribute is not None else None
    if isinstance(days, Unknown):
        return RULE.unknown(group, f"retention_in_days of the log group of {what} cannot be resolved: "
                                   f"{days.reason}", attribute)
    if days is None or (isinstance(days, int | float) and days <= 0):
        shown = "is not set" if days is None else f"is {days}"
        return RULE.failed(group, f"log group of {what}: retention_in_days {shown}, so its logs never "
                           "expire; set a period, e.g. 90", attribute or "retention_in_days")
    return RULE.passed(group, f"log group of {what} keeps logs {days} days", attribute)
