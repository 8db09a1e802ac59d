"""GA201: a Secrets Manager secret's value is generated or supplied at apply time, never written in the code.

**What it checks**
Each `aws_secretsmanager_secret_version`: `secret_string`, the write-only `secret_string_wo` and
`secret_binary` must not be fixed by the configuration: not a literal, not `jsonencode({...})` of literals
(nor with a literal under a secret-like key such as `password`), not a local, variable default or tfvars
value that is one, not a literal branch of an undecided conditional or a literal `coalesce()`/`try()`
fallback, not a function of such values (`base64encode("...")`). An empty string is a literal too: a
placeholder written as the secret's value.

**Why it matters**
A value written in the configuration sits in the repository and its history, in every plan, and (for
`secret_string`) in the state: whoever reads any of them holds the secret, and rotating it means a commit.

**Fails**
    resource "aws_secretsmanager_secret" "api_key" {
      name = "fitness/api-key"
    }

    resource "aws_secretsmanager_secret_version" "api_key" {
      secret_id     = aws_secretsmanager_secret.api_key.id
      secret_string = jsonencode({ api_key = "3f9c1e0b7a2d4c6e8f1a3b5c7d9e0f2a" })
    }

**Passes**
    resource "aws_secretsmanager_secret" "api_key" {
      name = "fitness/api-key"
    }

    ephemeral "aws_secretsmanager_random_password" "api_key" {
      password_length = 40
    }

    resource "aws_secretsmanager_secret_version" "api_key" {
      secret_id                = aws_secretsmanager_secret.api_key.id
      secret_string_wo         = ephemeral.aws_secretsmanager_random_password.api_key.random_password
      secret_string_wo_version = 1
    }

**Fix**
Generate the value (an ephemeral `aws_secretsmanager_random_password` into `secret_string_wo`, or
`random_password.x.result`), take it from a variable without default set at apply time (`TF_VAR_...`), or
leave the version out and put the value with the AWS CLI.

**Limits**
A value from a variable with no default passes: it is supplied when Terraform runs, not written here (a
literal default or tfvars value fails, here and under GA203). A literal branch of a conditional nested
inside `jsonencode`/a template is not seen; such values are reported unknown, never passed.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, Stack
from gateaudit.provenance import origin, written_in
from gateaudit.result import Result, Severity

from . import Rule
from ._secrets import secret_like

RULE = Rule(
    id="GA201",
    control="secret-not-hardcoded",
    severity=Severity.CRITICAL,
    title="Secrets Manager secret values are generated or supplied at apply time, not written in the code",
    rationale="A secret value written in the configuration is readable in the repository, every plan and the "
              "state.",
    remediation="Write an ephemeral aws_secretsmanager_random_password into secret_string_wo, or take the "
                "value from a variable without default set at apply time.",
    mappings={
        "NIST SP 800-53 rev 5": ("IA-5(7)",),
        "OWASP API Top 10 2023": ("API2:2023",),
    },
)

_VALUE_ARGUMENTS = ("secret_string", "secret_string_wo", "secret_binary")
_FIX = ("generate it (ephemeral aws_secretsmanager_random_password into secret_string_wo) or take it from a "
        "variable without default set at apply time")


def check(stack: Stack) -> Iterator[Result]:
    for version in stack.resources("aws_secretsmanager_secret_version"):
        yield _judge(version)


def _judge(version: Block) -> Result:
    attributes = [version.get(name) for name in _VALUE_ARGUMENTS if version.get(name) is not None]
    supplied, unresolved = [], None
    for attribute in attributes:
        found = origin(attribute, secret_like)
        if found.source == "fixed" and (found.value is not None or found.detail):
            where = found.detail or written_in(attribute)
            kept = ("the repository and every plan (write-only keeps it out of the state only)"
                    if attribute.name == "secret_string_wo" else "the repository, every plan and the state")
            empty = "an empty placeholder " if found.value == "" else ""
            return RULE.failed(version, f"{attribute.name} is {empty}written in the configuration ({where}): "
                                        f"it sits in {kept}; {_FIX}", attribute)
        if found.source == "unresolved":
            unresolved = unresolved or (attribute, found.detail)
        elif found.source == "supplied":
            supplied.append(f"{attribute.name} from {found.detail}")
    if unresolved is not None:
        attribute, reason = unresolved
        return RULE.unknown(version, f"cannot tell whether {attribute.name} is written in the configuration: "
                                     f"{reason}", attribute)
    if not supplied:
        return RULE.passed(version, "no secret value is set here (secret_string, secret_string_wo and "
                                    "secret_binary are absent or null)")
    return RULE.passed(version, f"{'; '.join(supplied)}: known only at apply time", attributes[0])
