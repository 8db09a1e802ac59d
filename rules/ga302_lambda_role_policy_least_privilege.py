"""GA302: policies of Lambda roles allow no `*` action, no Secrets Manager wildcard, no read of every credential.

**What it checks**
Every policy that reaches a Lambda role (a role trusting `lambda.amazonaws.com`, or the `role` of an
`aws_lambda_function`): `aws_iam_role_policy`, an `aws_iam_policy` attached by
`aws_iam_role_policy_attachment`, `aws_iam_policy_attachment`, `aws_iam_role_policy_attachments_exclusive`
or `managed_policy_arns`, and the role's `inline_policy` blocks, written as `jsonencode(...)`, JSON text or
`data.aws_iam_policy_document`. An Allow statement fails with `NotAction`, with `Action "*"`, with a
wildcard that covers `secretsmanager:GetSecretValue` (`secretsmanager:*`, `secretsmanager:Get*`,
`*:GetSecretValue`), or with an action that reads a credential on every resource of its service
(`"*"`, `arn:aws:ssm:*:*:parameter/*`, `NotResource`...) with no condition limiting it:

- `secretsmanager:GetSecretValue` on every secret, unless a `secretsmanager:ResourceTag/<key>` or
  `aws:ResourceTag/<key>` condition limits it;
- `ssm:GetParameter`, `ssm:GetParameters`, `ssm:GetParametersByPath` (or a wildcard covering one:
  `ssm:Get*`, `ssm:*`) on every parameter, unless an `ssm:resourceTag/<key>` or `aws:ResourceTag/<key>`
  condition limits it;
- `kms:Decrypt` (or `kms:*`, `kms:Dec*`) on every key, unless a `kms:ViaService`,
  `kms:EncryptionContext:<key>` or `kms:EncryptionContextKeys` condition limits it.

A condition limits only with a positive operator (`StringEquals`, `StringLike`, `ArnLike`, their
`ForAnyValue:` and `IgnoreCase` forms) and a value that is not `*` alone. `StringNotEquals`, `...IfExists`,
`Null` and `ForAllValues:` do not: they match requests for any resource (`ForAllValues:` matches a Decrypt
with no encryption context at all).

**Why it matters**
Functions behind the API run code reachable from the internet: a role that may read every secret hands
the API key, and every other secret of the account, to whoever subverts one. An API key kept in an SSM
SecureString parameter, or encrypted with a customer-managed KMS key, is as open to a role that may read
every parameter or decrypt with every key. Every Lambda role is judged,
not only the authorizer's: a backend has even less reason to read secrets, and the link from authorizer to
function is often outside the configuration.

**Fails**
    resource "aws_iam_role" "authorizer" {
      name = "api-key-authorizer"
      assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
        Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
    }

    resource "aws_iam_role_policy" "authorizer" {
      role = aws_iam_role.authorizer.id
      policy = jsonencode({ Version = "2012-10-17", Statement = [
        { Effect = "Allow", Action = ["secretsmanager:GetSecretValue", "kms:Decrypt"], Resource = "*" }] })
    }

**Passes**
    resource "aws_iam_role" "authorizer" {
      name = "api-key-authorizer"
      assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [{ Effect = "Allow",
        Action = "sts:AssumeRole", Principal = { Service = "lambda.amazonaws.com" } }] })
    }

    resource "aws_secretsmanager_secret" "api_key" {
      name = "fitness/api-key"
    }

    resource "aws_iam_role_policy" "authorizer" {
      role = aws_iam_role.authorizer.id
      policy = jsonencode({ Version = "2012-10-17", Statement = [
        { Effect = "Allow", Action = "secretsmanager:GetSecretValue",
          Resource = aws_secretsmanager_secret.api_key.arn },
        { Effect = "Allow", Action = "kms:Decrypt", Resource = "*",
          Condition = { StringEquals = { "kms:ViaService" = "secretsmanager.us-east-1.amazonaws.com" } } }] })
    }

**Fix**
Name the actions the function calls and the secret's ARN (`aws_secretsmanager_secret.<name>.arn`), the
parameter's (`aws_ssm_parameter.<name>.arn`) or the key's (`aws_kms_key.<name>.arn`); where a statement must
name every resource, limit it with a condition (a resource tag; `kms:ViaService` for KMS).

**Limits**
Conditions are read only for the credential reads above: `Action "*"`, `NotAction` and a wildcard covering
`secretsmanager:GetSecretValue` fail whatever the Condition. Wildcards of other services (`s3:*`) are out of
scope, and so are reads of credentials elsewhere (`s3:GetObject`, `ssm:GetParameterHistory`,
`kms:GenerateDataKey`). A policy whose role cannot be resolved (or whose role's trust policy cannot be read)
is reported, unknown, when it would fail or cannot itself be read; not when it passes whatever the role. A
resource attribute (an ARN) is a specific value, unless `format()`, `concat()`... build around it (unknown).
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Attribute, Block, Stack, Unknown, unknowns
from gateaudit.result import Result, Severity

from . import Rule
from ._iam import (
    ATTACHMENTS,
    CREDENTIAL_READS,
    CredentialRead,
    Statement,
    as_text,
    covers_every,
    lambda_roles,
    matches,
    possible_lambda_roles,
    role_targets,
    scoped_by,
    statements,
)
from ._references import points_at

RULE = Rule(
    id="GA302",
    control="scoped-permission",
    severity=Severity.HIGH,
    title="IAM policies of Lambda roles allow no wildcard actions and no read of every secret, parameter or key",
    rationale="A Lambda role that may call every action, or read every secret, gives the API key and the "
              "account's other secrets to whoever subverts an internet-facing function.",
    remediation='List the exact actions (e.g. "secretsmanager:GetSecretValue") on the secret\'s ARN '
                "(aws_secretsmanager_secret.<name>.arn); never Action \"*\", NotAction, or a read of secrets, "
                "SSM parameters or KMS keys on Resource \"*\" without a condition limiting it.",
    mappings={
        "AWS Security Hub FSBP": ("IAM.1", "IAM.21"),
        "NIST SP 800-53 rev 5": ("AC-6",),
        "OWASP API Top 10 2023": ("API8:2023",),
    },
)

_READ = "secretsmanager:GetSecretValue"


def check(stack: Stack) -> Iterator[Result]:
    roles = lambda_roles(stack)
    possible = possible_lambda_roles(stack, roles)
    for policy in stack.resources("aws_iam_role_policy"):
        yield from _judge(policy, policy.get("policy"), *role_targets(policy.get("role"), roles, stack, possible))
    attachments = stack.resources(*ATTACHMENTS)
    # An attachment to a (possible) Lambda role whose policy ARNs cannot be resolved may attach any policy.
    blind = next((doubt for attachment in attachments
                  if (doubt := _unresolved_arns(attachment.get(ATTACHMENTS[attachment.type][1])))
                  and _reaches(attachment.get(ATTACHMENTS[attachment.type][0]), roles, stack, possible)), None)
    blind = blind or next((doubt for role in roles if (doubt := _unresolved_arns(role.get("managed_policy_arns")))),
                          None)
    for policy in stack.resources("aws_iam_policy"):
        hits = [role for role in roles if points_at(role.get("managed_policy_arns"), policy)]
        unresolved = next((possible[id(role)] for role in stack.resources("aws_iam_role")
                           if id(role) in possible and points_at(role.get("managed_policy_arns"), policy)), blind)
        for attachment in (a for a in attachments if points_at(a.get(ATTACHMENTS[a.type][1]), policy)):
            found, unsure = role_targets(attachment.get(ATTACHMENTS[attachment.type][0]), roles, stack, possible)
            hits, unresolved = hits + found, unresolved or unsure
        yield from _judge(policy, policy.get("policy"), hits, unresolved)
    for role in stack.resources("aws_iam_role"):
        lambda_role = any(role is r for r in roles)
        if not lambda_role and id(role) not in possible:
            continue
        for inline in role.blocks("inline_policy"):
            if inline.has("policy"):
                yield from _judge(inline, inline.get("policy"), [role] if lambda_role else [], possible.get(id(role)))


def _unresolved_arns(arns: Attribute | None) -> str | None:
    """Why the policies an ARN argument attaches cannot be told (None: they can)."""
    if arns is None or arns.referenced_blocks("aws_iam_policy"):
        return None
    unknown = next(unknowns(arns.value), None)
    return None if unknown is None else f"{arns.block.address}.{arns.path} cannot be resolved ({unknown.reason}) " \
                                        "and may attach it"


def _reaches(attribute: Attribute | None, roles: list[Block], stack: Stack, possible: dict[int, str]) -> bool:
    found, unsure = role_targets(attribute, roles, stack, possible)
    return bool(found) or unsure is not None


def _judge(block: Block, policy: Attribute | None, roles: list[Block], unresolved: str | None) -> Iterator[Result]:
    if not roles and unresolved is None:
        return  # not a Lambda role's policy
    status, message = _assess(policy)
    if roles:
        whose = ", ".join(dict.fromkeys(r.address for r in roles))
        yield getattr(RULE, status)(block, f"{message} (Lambda role {whose})", policy)
    elif status == "failed":
        yield RULE.unknown(block, f"{unresolved}, so whether a Lambda function uses this policy is unknown; "
                                  f"if one does: {message}", policy)
    elif status == "unknown":  # neither its role nor its content is known: never dropped
        yield RULE.unknown(block, f"{unresolved}, and {message}", policy)


def _assess(attribute: Attribute | None) -> tuple[str, str]:
    found = statements(attribute)
    if isinstance(found, Unknown):
        return "unknown", f"the policy cannot be read: {found.reason}"
    doubts = []
    for statement in found:
        if isinstance(statement, Unknown):
            doubts.append(f"a statement cannot be resolved ({statement.reason})")
            continue
        defect, doubt = _allows_too_much(statement)
        if defect and isinstance(statement.effect, Unknown):
            reason = statement.effect.reason
            doubts.append(f"{statement.name} has an Effect that cannot be resolved ({reason}); if it is "
                          f"Allow, it {defect}")
        elif defect:
            return "failed", f"{statement.name} {defect}"
        elif doubt:
            doubts.append(f"{statement.name} {doubt}")
    if doubts:
        return "unknown", doubts[0]
    return "passed", "allows no wildcard action and no read of every secret, SSM parameter or KMS key"


def _allows_too_much(statement: Statement) -> tuple[str | None, str | None]:
    if isinstance(statement.effect, str) and statement.effect == "Deny":
        return None, None
    if statement.not_actions is not None:
        return "uses NotAction with Allow, so every action not listed is allowed; list them in Action", None
    doubt = None
    granted: dict[CredentialRead, str] = {}
    for action in statement.actions or ():
        if isinstance(action, Unknown):
            doubt = doubt or f"has an Action that cannot be resolved ({action.reason})"
        elif isinstance(action, str) and action.strip() == "*":
            return 'allows Action "*", every action of every service; list the actions it calls', None
        elif isinstance(action, str) and ("*" in action or "?" in action) and matches(action, _READ):
            return f'allows "{action}", a wildcard that covers {_READ}; list the exact actions', None
        elif isinstance(action, str):
            for read in CREDENTIAL_READS:
                if any(matches(action.strip(), name) for name in read.actions):
                    granted.setdefault(read, action.strip())
    for read, action in granted.items():
        defect, unsure = _reads_every(statement, read, action)
        if defect:
            return defect, None
        doubt = doubt or unsure
    return None, doubt


def _reads_every(statement: Statement, read: CredentialRead, action: str) -> tuple[str | None, str | None]:
    """Whether a statement granting `action` (one of `read.actions`, or a wildcard over them) grants it on every
    resource of its service with no condition that scopes it."""
    every, doubt = None, None
    if statement.not_resources is not None:
        every = "NotResource"
    for resource in () if every else statement.resources or ():
        covers = covers_every(resource, read)
        if isinstance(covers, Unknown):
            doubt = doubt or f"allows {action} on {covers.reason}"
        elif covers:
            every = f'"{as_text(resource)}"'
            break
    if every is None:
        return None, doubt
    scoped = scoped_by(statement.conditions, read)
    if isinstance(scoped, str):
        return None, doubt
    on = f"with NotResource, every {read.noun} not listed" if every == "NotResource" else \
        f"on {every}, every {read.noun}"
    if isinstance(scoped, Unknown):
        return None, f"allows {action} {on}, and whether a condition limits it cannot be told: {scoped.reason}"
    unscoped = ", and its Condition limits it to none in particular" if statement.conditions else ""
    return f"allows {action} {on}{unscoped}; {read.fix}", None
