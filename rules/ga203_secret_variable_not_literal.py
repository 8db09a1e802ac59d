"""GA203: a variable named like a secret gets no literal value from the configuration.

**What it checks**
Each `variable` whose name is secret-like, as GA202 reads names (`api_key`, `db_password`, `db_pw`, `token`,
`client_secret`, `db_creds`, `partner_auth`, `dbpassword`, `<qualifier>_key`; not `kms_key_id`, `secret_arn`,
`api_key_version`, `token_ttl`, `auth_mode`): its `default`, its value in a tfvars file (root modules) and
its module call argument (child modules) must not be a literal credential. `sensitive = true` changes
nothing: it hides the value from output, not from the repository. Values that only name a secret (an ARN,
`prod/app/api-key`, the name of a secret or parameter of the stack), route keys (`GET /orders`), file names
(`authorizer-1.4.2.zip`: an S3 object key), empty strings, null, booleans, numbers, words that mean none
(`none`, `disabled`), placeholders a later step fills in (`<password>`, `{{ token }}`) and, under `*_auth`, a
mode name in one case without digits (`AWS_IAM`, `cognito`) pass; `changeme` fails. A module argument that
cannot be read is `unknown` only under a name that calls its value a credential by itself (`db_password`,
`api_key`), not under `route_key` or `lambda_source_key`. A variable of any name whose value is shaped like a
credential (an AWS access key id, a GitHub or Stripe token, a private key, a long random token) fails too.

**Why it matters**
A default or a tfvars value is committed with the code: the secret is in the repository's history and in
every plan, whatever `sensitive` says.

**Fails**
    variable "api_key" {
      type      = string
      sensitive = true
      default   = "3f9c1e0b7a2d4c6e8f1a3b5c7d9e0f2a"
    }

**Passes**
    variable "api_key" {
      type      = string
      sensitive = true
    }

**Fix**
Remove the default and the tfvars entry; set the value at apply time (`TF_VAR_api_key` from a secret
store), or better, generate the secret in Terraform (`ephemeral "aws_secretsmanager_random_password"`).

**Limits**
The result sits on the variable; for a tfvars value or a module argument it points at that line instead. A
variable without any value passes. Where the literal reaches a secret, GA201 reports that resource too.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, Location, Stack, strings_in
from gateaudit.provenance import origin, set_in_tfvars
from gateaudit.result import Result, Severity

from . import Rule
from ._secrets import (
    BY_NAME,
    credential_in,
    credential_shape,
    declared_secret_names,
    named_credential,
    secret_like,
)

RULE = Rule(
    id="GA203",
    control="secret-not-hardcoded",
    severity=Severity.HIGH,
    title="Secret-like variables get no literal value from defaults, tfvars or module arguments",
    rationale="A default or tfvars value is committed with the code, sensitive or not.",
    remediation="Remove the default and the tfvars entry and set the value at apply time (TF_VAR_...), or "
                "generate the secret in Terraform.",
    mappings={"NIST SP 800-53 rev 5": ("IA-5(7)",)},
)


def check(stack: Stack) -> Iterator[Result]:
    named = declared_secret_names(stack)
    for variable in stack.blocks(kind="variable"):
        if secret_like(variable.name):
            yield _judge(variable, named)
        else:
            yield from _shaped(variable)


def _shaped(variable: Block) -> Iterator[Result]:
    """A variable whose name calls its value nothing: a result only when a value it is given is shaped like a
    credential (an AWS access key id, a private key, a long random token), which is one whatever the name."""
    module = variable.module
    assigned = set_in_tfvars(variable)
    given = module.call.get(variable.name) if module.call is not None else None
    default = variable.get("default")
    values = []
    if assigned is not None:
        values.append((assigned.value, f"{assigned.location.file} sets it to", assigned.location, None))
    if given is not None and (found := origin(given, secret_like)).source == "fixed":
        values.append((found.value, f"{module.call.address} passes", given.location, None))
    if default is not None:
        values.append((default.value, "its default is", None, "default"))
    for value, fact, location, attribute in values:
        shape = next((s for text in strings_in(value) if (s := credential_shape(text)) is not None), None)
        if shape is not None:
            yield _fail(variable, f"{fact} {shape}", location, attribute)
            return


def _judge(variable: Block, named: set[str]) -> Result:
    module, name = variable.module, variable.name
    assigned = set_in_tfvars(variable)
    if assigned is not None:
        why = _credential(name, assigned.value, named)
        if why is not None:
            return _fail(variable, f"{assigned.location.file} sets it to {why}", assigned.location)
    given = module.call.get(name) if module.call is not None else None
    if given is not None:
        found = origin(given, secret_like)
        if found.source == "unresolved" and not named_credential(name):
            return RULE.passed(variable, f"{module.call.address} passes a value gateaudit cannot read "
                                         f"({found.detail}); {variable.address} does not call it a credential "
                                         "by its name alone")
        if found.source == "unresolved":
            return RULE.unknown(variable, f"cannot tell whether {module.call.address} passes a literal: "
                                          f"{found.detail}", location=given.location)
        why = _credential(name, found.value, named) if found.source == "fixed" else None
        if why is not None:
            return _fail(variable, f"{module.call.address} passes {why}", given.location)
    default = variable.get("default")
    why = _credential(name, default.value, named) if default is not None else None
    if why is not None:
        return _fail(variable, f"its default is {why}", None, "default")
    if default is None and given is None and name not in module.variable_values:
        return RULE.passed(variable, f"{variable.address} has no value in the configuration: it is set at "
                                     "apply time")
    return RULE.passed(variable, f"{variable.address} gets no literal credential from its default, tfvars or "
                                 "module argument (empty, null, or only the name of a secret)")


def _credential(name: str, value: object, named: set[str]) -> str | None:
    reasons = (credential_in(name, text) for text in strings_in(value) if text not in named)
    reason = next((r for r in reasons if r is not None), None)
    return "a literal" if reason == BY_NAME else reason


def _fail(variable: Block, fact: str, location: Location | None, attribute: str | None = None) -> Result:
    hidden = " (sensitive = true hides it from output, not from the repository)" \
        if variable.value("sensitive") is True else ""
    named = "is secret-like and" if secret_like(variable.name) else "holds a credential:"
    return RULE.failed(variable, f"{variable.address} {named} {fact}: the value is committed "
                                 f"with the code{hidden}; remove it and set the value at apply time",
                       attribute, location)
