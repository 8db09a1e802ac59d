"""GA303: no broad AWS-managed policy is attached to a Lambda role.

**What it checks**
Every `aws_iam_role_policy_attachment`, `aws_iam_policy_attachment` and
`aws_iam_role_policy_attachments_exclusive` that reaches a Lambda role (a role trusting
`lambda.amazonaws.com`, or the `role` of an `aws_lambda_function`), and the `managed_policy_arns` of Lambda
roles: none may be `AdministratorAccess`, `PowerUserAccess`, `SecretsManagerReadWrite` or
`IAMFullAccess`, whether written as an ARN (any partition, `${...}` included) or through
`data "aws_iam_policy"` by name or ARN. Roles that Lambda does not assume (API Gateway's CloudWatch role
with `AmazonAPIGatewayPushToCloudWatchLogs`) are not judged.

**Why it matters**
These policies allow every action (or every secret, or IAM itself) on every resource: whoever runs code in
an internet-facing function holding one owns the account, or reads the API key and every other secret.

**Fails**
    resource "aws_iam_role" "authorizer" {
      name = "api-key-authorizer"
      assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
        Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
    }

    resource "aws_iam_role_policy_attachment" "authorizer" {
      role       = aws_iam_role.authorizer.name
      policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    }

**Passes**
    resource "aws_iam_role" "authorizer" {
      name = "api-key-authorizer"
      assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
        Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
    }

    resource "aws_iam_role_policy_attachment" "authorizer" {
      role       = aws_iam_role.authorizer.name
      policy_arn = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    }

**Fix**
Attach `AWSLambdaBasicExecutionRole` for logs, and a policy naming only the actions and resources the
function needs (GA302 judges customer-managed policies).

**Limits**
Only the four policies above are broad here; other `*FullAccess` policies are not judged. An attachment
whose role cannot be resolved is reported (unknown) only when its policy is one of them.

**Options**
`allowed-managed-policies` (default `[]`): broad policies the team accepts on Lambda roles, by name
(`"PowerUserAccess"`, any partition, compared case-insensitively) or by full ARN (that ARN as written or
resolved). An allowed policy passes, and the message says it is allowed by configuration.

    [rules.GA303]
    allowed-managed-policies = ["PowerUserAccess"]
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from gateaudit.model import Attribute, Block, Stack, Unknown
from gateaudit.provenance import built_by
from gateaudit.result import Result, Severity

from . import Rule, Settings
from ._iam import ATTACHMENTS, HOLE, as_text, lambda_roles, possible_lambda_roles, role_targets

RULE = Rule(
    id="GA303",
    control="scoped-permission",
    severity=Severity.HIGH,
    title="Lambda roles carry no AdministratorAccess, PowerUserAccess, SecretsManagerReadWrite or "
          "IAMFullAccess",
    rationale="A broad AWS-managed policy on an internet-facing function's role hands the account, or every "
              "secret in it, to whoever runs code in that function.",
    remediation="Detach the policy; attach AWSLambdaBasicExecutionRole and a customer-managed policy naming "
                "only the actions and resources the function needs.",
    mappings={
        "NIST SP 800-53 rev 5": ("AC-6",),
        "OWASP API Top 10 2023": ("API8:2023",),
    },
    options={"allowed-managed-policies": []},
)

_BROAD = {name.lower(): name for name in
          ("AdministratorAccess", "PowerUserAccess", "SecretsManagerReadWrite", "IAMFullAccess")}
_AWS_MANAGED = re.compile(r"arn:[^:]*:iam::aws:policy/(?:.*/)?([^/]+)")


def check(stack: Stack, settings: Settings) -> Iterator[Result]:
    allowed = {entry.strip().lower() for entry in RULE.option(settings, "allowed-managed-policies")}
    roles = lambda_roles(stack)
    possible = possible_lambda_roles(stack, roles)
    for attachment in stack.resources(*ATTACHMENTS):
        targets, arns = ATTACHMENTS[attachment.type]
        yield from _judge(attachment, attachment.get(arns),
                          *role_targets(attachment.get(targets), roles, stack, possible), allowed)
    for role in stack.resources("aws_iam_role"):
        lambda_role = any(role is r for r in roles)
        if role.has("managed_policy_arns") and (lambda_role or id(role) in possible):
            yield from _judge(role, role.get("managed_policy_arns"), [role] if lambda_role else [],
                              possible.get(id(role)), allowed)


def _judge(block: Block, arns: Attribute | None, roles: list[Block], unresolved: str | None,
           allowed: set[str]) -> Iterator[Result]:
    if arns is None or (not roles and unresolved is None):
        return  # not attached to a Lambda role
    status, message = _assess(arns, allowed)
    if roles:
        whose = ", ".join(dict.fromkeys(r.address for r in roles))
        yield getattr(RULE, status)(block, f"{message} (Lambda role {whose})", arns)
    elif status == "failed":
        yield RULE.unknown(block, f"{unresolved}, so whether a Lambda function uses it is unknown; if one does: "
                                  f"{message}", arns)
    elif status == "unknown":  # neither its role nor what it attaches is known: never dropped
        yield RULE.unknown(block, f"{unresolved}, and {message}", arns)


def _assess(arns: Attribute, allowed: set[str]) -> tuple[str, str]:
    value = arns.value
    policies = {b.address: b for b in arns.referenced_blocks("aws_iam_policy")}
    names, doubts, accepted = [], [], []
    for item in value if isinstance(value, list) else [value]:
        built = built_by(arns, item)
        name, doubt, arn = (None, f"{arns.path} is built by {built} around a value known only after apply: "
                                                "which policies it attaches cannot be told", None) if built \
            else _policy_name(item, policies)
        if name is not None and name.lower() in _BROAD:
            if name.lower() in allowed or (arn is not None and arn.lower() in allowed):
                accepted.append(_BROAD[name.lower()])
            else:
                return "failed", (f"{arns.path} attaches the AWS-managed {_BROAD[name.lower()]}, far more than a "
                                  "function needs; attach AWSLambdaBasicExecutionRole and a policy of its own")
        names += [name] if name else []
        doubts += [doubt] if doubt else []
    if doubts:
        return "unknown", doubts[0]
    attached = ", ".join(names) or "only customer-managed policies"
    if accepted:
        return "passed", (f"attaches {attached}; {', '.join(dict.fromkeys(accepted))} is broad but allowed by "
                          f"configuration (rules.{RULE.id}.allowed-managed-policies)")
    return "passed", f"attaches {attached}, no broad AWS-managed policy"


def _policy_name(item: object, policies: dict[str, Block]) -> tuple[str | None, str | None, str | None]:
    """The AWS-managed policy an ARN names (None for a customer-managed one), or why it is unknown; and the
    ARN as written or resolved, where there is one."""
    if isinstance(item, Unknown) and item.refs and item.refs[0].removesuffix(".arn") in policies:
        policy = policies[item.refs[0].removesuffix(".arn")]
        if policy.kind == "resource":
            return None, None, None  # a customer-managed policy of this stack: GA302 reads its statements
        name, arn = policy.value("name"), policy.value("arn")
        if isinstance(arn, str) or isinstance(name, str):
            return _policy_name(arn, policies) if isinstance(arn, str) else (name, None, None)
        return None, f"{policy.address} names its policy by values that cannot be resolved", None
    text = as_text(item)
    if text is None:
        return None, "a policy ARN is not a string", None
    managed = _AWS_MANAGED.fullmatch(HOLE.sub("\0", text))
    if managed and "\0" not in managed.group(1):
        return managed.group(1), None, text
    if managed or text.startswith("${"):
        return None, f'the policy ARN "{text}" cannot be resolved', None
    return None, None, None  # a customer-managed policy outside this stack: its statements are not here to read
