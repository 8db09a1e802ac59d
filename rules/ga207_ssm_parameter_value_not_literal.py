"""GA207: SSM parameters hold no credential written in the configuration.

**What it checks**
Each `aws_ssm_parameter`: its `value`, write-only `value_wo` and `insecure_value`. A `SecureString` fails with
any value written in the configuration (a literal, a local, a variable default or tfvars value, a literal
branch or fallback): the type says the value is a secret. A `String` or `StringList` (and any
`insecure_value`) fails when its value is a credential judged by name and value, as GA202 judges environment
variables: the parameter's name is the variable's (`/fitness/db/password` is secret-like, `/fitness/db/host`
is not), and a value shaped like a credential (an AWS access key id, a token, a private key) fails whatever
the name. A value known only at apply time passes (a variable without default, a resource attribute,
`jsondecode(data.aws_secretsmanager_secret_version.x.secret_string)["api_key"]`). A value that cannot be
resolved is `unknown` for a `SecureString` or a secret-like name; so is a literal whose `type` cannot be
resolved.

**Why it matters**
A SecureString is encrypted in SSM, but a value written in the code is in the repository, every plan and
the state: whoever reads them holds the secret. A credential in a `String` parameter is also readable by
anyone allowed `ssm:GetParameter`, unencrypted.

**Fails**
    resource "aws_ssm_parameter" "db_password" {
      name  = "/fitness/db/password"
      type  = "SecureString"
      value = "Tr0ub4dor-and-3"
    }

**Passes**
    variable "db_password" {
      type      = string
      sensitive = true
    }

    resource "aws_ssm_parameter" "db_password" {
      name  = "/fitness/db/password"
      type  = "SecureString"
      value = var.db_password
    }

**Fix**
Set the value at apply time (a variable without default, `TF_VAR_...`), generate it into `value_wo` from an
ephemeral `aws_secretsmanager_random_password`, or create the parameter in Terraform with a placeholder and
`lifecycle { ignore_changes = [value] }` and put the real value with the AWS CLI.

A SecureString created with a placeholder and `lifecycle { ignore_changes = [value] }` (or `all`) passes while
the placeholder is no credential itself (no known key shape, not a long random token): the real value is put
outside Terraform. A credential-shaped placeholder still fails: it is deployed once, and committed.

**Limits**
Whether a placeholder is one is judged by its shape alone: a short, weak password written as the placeholder
of an ignored value passes. A credential under an innocent parameter name, shorter than 32 characters and of
no known shape, is missed in a `String`.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Attribute, Block, Stack, Unknown, strings_in
from gateaudit.provenance import ignored_changes, origin, written_in
from gateaudit.result import Result, Severity

from . import Rule
from ._secrets import BY_NAME, credential_in, credential_shape, named_credential, secret_like

RULE = Rule(
    id="GA207",
    control="secret-not-hardcoded",
    severity=Severity.CRITICAL,
    title="SSM parameters hold no credential written in the configuration",
    rationale="A parameter value written in the code is in the repository, every plan and the state, "
              "SecureString or not.",
    remediation="Set the value at apply time, generate it into value_wo, or put it with the AWS CLI and ignore "
                "changes to value.",
    mappings={"NIST SP 800-53 rev 5": ("IA-5(7)",)},
)

_VALUES = ("value", "value_wo", "insecure_value")


def check(stack: Stack) -> Iterator[Result]:
    for parameter in stack.resources("aws_ssm_parameter"):
        attributes = [a for a in map(parameter.get, _VALUES) if a is not None]
        if attributes:
            yield _judge(parameter, attributes)


def _judge(parameter: Block, attributes: list[Attribute]) -> Result:
    kind = parameter.value("type")
    name = parameter.value("name")
    name = name if isinstance(name, str) else ""
    secure = kind == "SecureString" if isinstance(kind, str) else None
    supplied, unsure, placeholder = [], None, None
    for attribute in attributes:
        found = origin(attribute, secret_like)
        if found.source == "fixed" and (found.value is not None or found.detail):
            why = _credential(name, found.value) if found.value is not None else found.detail
            where = written_in(attribute)
            if secure and attribute.name != "insecure_value":
                kept = _placeholder(parameter, attribute, found.value)
                if kept is True:
                    placeholder = attribute
                    continue
                if isinstance(kept, Unknown):
                    unsure = unsure or (attribute, kept.reason)
                    continue
                return RULE.failed(parameter, f"SecureString {attribute.name} is written in the configuration "
                                              f"({where}): it sits in the repository, every plan and the state; "
                                              "set it at apply time or generate it into value_wo", attribute.name)
            if why is not None:
                return RULE.failed(parameter, f"{attribute.name} holds {_phrase(why)} ({where}) in a "
                                              f"{kind if isinstance(kind, str) else 'parameter'}: use a "
                                              "SecureString set at apply time", attribute.name)
            if secure is None:
                why_not = kind.reason if isinstance(kind, Unknown) else "it is not set"
                unsure = unsure or (attribute, f"its type cannot be resolved ({why_not}), and a SecureString "
                                               "with a value written in the configuration fails")
        elif found.source == "unresolved" and (secure is not False or named_credential(_last(name))):
            unsure = unsure or (attribute, found.detail)
        elif found.source == "supplied":
            supplied.append(f"{attribute.name} from {found.detail}")
    if unsure is not None:
        attribute, reason = unsure
        return RULE.unknown(parameter, f"cannot tell whether {attribute.name} holds a credential written in the "
                                       f"configuration: {reason}", attribute.name)
    if placeholder is not None:
        return RULE.passed(parameter, f"{placeholder.name} is a placeholder, no credential: lifecycle ignores changes "
                                      "to it, so the real value is put outside Terraform", placeholder.name)
    if supplied:
        return RULE.passed(parameter, f"{'; '.join(supplied)}: known only at apply time", attributes[0].name)
    which = f"this {kind}" if isinstance(kind, str) else "this"
    return RULE.passed(parameter, f"{', '.join(a.name for a in attributes)} of {which} parameter holds no "
                                  "credential, judged by the parameter's name and value")


def _placeholder(parameter: Block, attribute: Attribute, value: object) -> bool | Unknown:
    """A SecureString `value` created as a placeholder, the real value put outside Terraform: lifecycle ignores
    changes to it, and the literal is no credential itself (that one would be deployed once, and committed)."""
    if attribute.name != "value" or value is None:
        return False
    ignored = ignored_changes(parameter)
    if isinstance(ignored, Unknown):
        return Unknown(f"a placeholder is fine only while lifecycle ignores changes to value, and {ignored.reason}")
    if not ignored & {"value", "all"}:
        return False
    return not any(credential_shape(text) for text in strings_in(value))


def _last(name: str) -> str:
    """`/fitness/db/password` is named like its last segment."""
    return name.rstrip("/").rsplit("/", 1)[-1]


def _credential(name: str, value: object) -> str | None:
    return next((why for text in strings_in(value) if (why := credential_in(_last(name), text)) is not None), None)


def _phrase(why: str) -> str:
    return "a literal under a secret-like parameter name" if why == BY_NAME else why
