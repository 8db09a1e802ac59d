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

**Whose function**
Messages say when the function is the authorizer's Lambda (an `authorizer_uri` of an
`aws_api_gateway_authorizer` or `aws_apigatewayv2_authorizer` refers to it) and which API it guards. A
Lambda@Edge function (one a `aws_cloudfront_distribution` associates through
`lambda_function_association.lambda_arn`) logs to `/aws/lambda/us-east-1.<function_name>` in the region of
each edge location that runs it: that is the name expected, and messages say a group of that name is needed
in each of those regions.

**Limits**
Every function is judged, not only authorizers (messages name the authorizer): all of a stack's
functions log what they are sent, and finding "the authorizer" through `authorizer_uri` fails for
literal ARNs, aliases and modules not loaded. A group named by a data source or unresolvable names is
unknown. No minimum retention is required: the period is the organisation's choice. A Lambda@Edge
function is told only by its CloudFront association in the stack (a provider alias in us-east-1 alone does
not make one), and which regions hold its group is not checked: edge locations are CloudFront's choice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from gateaudit.model import Attribute, Block, Stack, Unknown
from gateaudit.provenance import template_of
from gateaudit.result import Result, Severity

from . import Rule
from ._logging import being_destroyed, same_text, text_of

_PREFIX, _EDGE_PREFIX = "/aws/lambda/", "/aws/lambda/us-east-1."
_EDGE_FIX = " in each of those regions (one aws provider per region)"

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
    groups = _Groups([(group, text_of(group.get("name")))
                      for group in stack.resources("aws_cloudwatch_log_group")])
    authorizer_of = _authorized_apis(stack)
    edge_of, unresolved = _edge_distributions(stack)
    judged: set[int] = set()
    for function in stack.resources("aws_lambda_function"):
        what, edge = _describe(function, authorizer_of, edge_of), id(function) in edge_of
        published = function.value("publish", False)
        if not edge and unresolved and (published is True or isinstance(published, Unknown)):
            # Only a published version can be associated: such a function may log under the us-east-1. prefix.
            yield RULE.unknown(function, f"{what} may be a Lambda@Edge function, whose log group is named "
                               f"differently: {unresolved[0]}")
            continue
        named, expected = _log_group_name(function, edge)
        direct = _targets(named, "aws_cloudwatch_log_group")
        mine = [g for g in direct if g.kind == "resource"]
        if direct and not mine:
            yield RULE.unknown(function, f"{named.path} names a log group read by a data source: its "
                               "retention is set outside this configuration", named)
            continue
        if not direct:
            mine, doubt = groups.matching(function if named is None else None, expected, edge)
            if doubt is not None:
                yield RULE.unknown(function, doubt)
                continue
        if not mine:
            prefix = _EDGE_PREFIX if edge else _PREFIX
            shown = f'"{expected[0]}"' if expected else f"{prefix}<function_name>"
            where = " in each region where it runs" if edge and named is None else ""
            gone = being_destroyed(stack, ("aws_cloudwatch_log_group",), "name", expected[0] if expected else None)
            taken = f"its log group {gone.address} is being destroyed by this plan: " if gone else ""
            yield RULE.failed(function, f"{taken}{what} has no log group in the stack: it logs to {shown}{where}, "
                              "and no aws_cloudwatch_log_group is named so; Lambda creates it on first run, and its "
                              f"logs never expire: add it with retention_in_days{_EDGE_FIX if where else ''}")
        for group in mine:
            if id(group) not in judged:
                judged.add(id(group))
                yield _retention(group, what, edge and named is None)


def _targets(attribute: Attribute | None, kind: str) -> list[Block]:
    return attribute.referenced_blocks(kind) if attribute is not None else []


def _authorized_apis(stack: Stack) -> dict[int, list[str]]:
    """Each authorizer function (by id) -> the APIs its authorizers guard (the authorizer's own address when
    its API is not in the stack)."""
    found: dict[int, list[str]] = {}
    for authorizer in stack.resources("aws_api_gateway_authorizer", "aws_apigatewayv2_authorizer"):
        apis = [api.address for api in (_targets(authorizer.get("rest_api_id"), "aws_api_gateway_rest_api")
                                        + _targets(authorizer.get("api_id"), "aws_apigatewayv2_api"))]
        for function in _targets(authorizer.get("authorizer_uri"), "aws_lambda_function"):
            found.setdefault(id(function), []).extend(apis or [authorizer.address])
    return found


def _edge_distributions(stack: Stack) -> tuple[dict[int, list[str]], list[str]]:
    """Each Lambda@Edge function (by id) -> the CloudFront distributions whose cache behaviours associate it
    (`lambda_function_association.lambda_arn`, which takes a published version's ARN); and why an association
    names no function that can be told."""
    found: dict[int, list[str]] = {}
    unresolved: list[str] = []
    for distribution in stack.resources("aws_cloudfront_distribution"):
        for behaviour in ("default_cache_behavior", "ordered_cache_behavior"):
            for arn in distribution.attributes_at(f"{behaviour}.lambda_function_association.lambda_arn"):
                functions = arn.referenced_blocks("aws_lambda_function")
                for function in functions:
                    found.setdefault(id(function), []).append(distribution.address)
                if not functions and isinstance(arn.value, Unknown):
                    unresolved.append(f"{distribution.address} {arn.path} cannot be resolved ({arn.value.reason})")
    return found, unresolved


def _describe(function: Block, authorizer_of: dict[int, list[str]], edge_of: dict[int, list[str]]) -> str:
    """Whose function this is, for the message: the authorizer's Lambda first, it guards the API."""
    if id(function) in authorizer_of:
        apis = ", ".join(dict.fromkeys(authorizer_of[id(function)]))
        return f"the authorizer's Lambda {function.address} (authorizer of {apis})"
    if id(function) in edge_of:
        return f"Lambda@Edge function {function.address} (of {', '.join(dict.fromkeys(edge_of[id(function)]))})"
    return f"function {function.address}"


def _log_group_name(function: Block, edge: bool) -> tuple[Attribute | None, tuple[str, bool] | None]:
    """`logging_config.log_group` when set, and the name the function logs to (as `text_of` gives it): a
    Lambda@Edge function logs to `/aws/lambda/us-east-1.<name>` in the region of each edge location."""
    config = function.blocks("logging_config")
    named = config[0].get("log_group") if config else None
    if named is not None and named.value is not None:
        return named, text_of(named)
    name = text_of(function.get("function_name"))
    return None, (f"{_EDGE_PREFIX if edge else _PREFIX}{name[0]}", name[1]) if name else None


class _Groups:
    """The stack's log groups and their names, indexed: a monorepo has thousands of functions and of groups, and
    comparing each function with each group took minutes."""

    def __init__(self, groups: list[tuple[Block, tuple[str, bool] | None]]) -> None:
        self.groups = groups
        self.known: dict[str, list[int]] = {}  # a name known in full -> the positions of the groups of that name
        self.others: list[int] = []  # the positions of groups whose name is not known in full
        self.named_after: dict[tuple[int, bool], list[int]] = {}  # (function id, edge) -> `_names` groups
        for position, (group, name) in enumerate(groups):
            if name is not None and name[1]:
                self.known.setdefault(name[0], []).append(position)
            else:
                self.others.append(position)
            attribute = group.get("name")
            parts = template_of(attribute) if attribute is not None else None
            if parts is None or len(parts) != 2 or parts[1] is not True or parts[0] not in (_PREFIX, _EDGE_PREFIX):
                continue
            for function in {id(r.block) for r in attribute.references if r.attribute == "function_name"}:
                self.named_after.setdefault((function, parts[0] == _EDGE_PREFIX), []).append(position)

    def matching(self, function: Block | None, expected: tuple[str, bool] | None,
                 edge: bool) -> tuple[list[Block], str | None]:
        """The groups named as expected (or after `function`, when it logs to its default group); or, when
        none is and some might be, why it cannot be told."""
        found = set(self.named_after.get((id(function), edge), ())) if function is not None else set()
        if expected is not None and expected[1]:  # two names known in full are the same or not, no doubt
            found.update(self.known.get(expected[0], ()))
            compared: Iterable[int] = self.others
        else:
            compared = range(len(self.groups))
        doubt = None
        for position in compared:
            if position in found:
                continue
            group, name = self.groups[position]
            same = same_text(name, expected)
            if same is True:
                found.add(position)
            elif isinstance(same, Unknown) and doubt is None:
                doubt = f"cannot tell whether {group.address} is the function's log group: {same.reason}"
        return [self.groups[position][0] for position in sorted(found)], (doubt if not found else None)


def _retention(group: Block, what: str, edge: bool) -> Result:
    attribute = group.get("retention_in_days")
    days = attribute.value if attribute is not None else None
    if isinstance(days, Unknown):
        return RULE.unknown(group, f"retention_in_days of the log group of {what} cannot be resolved: "
                                   f"{days.reason}", attribute)
    if days is None or (isinstance(days, int | float) and days <= 0):
        shown = "is not set" if days is None else f"is {days}"
        return RULE.failed(group, f"log group of {what}: retention_in_days {shown}, so its logs never "
                           "expire; set a period, e.g. 90", attribute or "retention_in_days")
    regions = ("; Lambda@Edge writes to a group of this name in each region where it runs, so each of those "
               "regions needs one" if edge else "")
    return RULE.passed(group, f"log group of {what} keeps logs {days} days{regions}", attribute)
