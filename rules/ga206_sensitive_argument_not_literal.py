"""GA206: arguments the AWS provider marks sensitive hold no literal credential.

**What it checks**
Every argument of an AWS resource that the provider's schema (hashicorp/aws 5.100.0) marks sensitive, nested
blocks included: `aws_db_instance.password`, `aws_rds_cluster.master_password`,
`aws_elasticache_replication_group.auth_token`, `aws_mq_broker`'s `user.password`,
`aws_cloudwatch_event_connection`'s `auth_parameters.api_key.value`, `aws_lb_listener`'s OIDC `client_secret`
(185 arguments of 89 resource types); not those GA201 (`aws_secretsmanager_secret_version`), GA204
(`aws_api_gateway_api_key.value`) and GA207 (`aws_ssm_parameter` values) judge. Where the argument's name
calls its value a credential (as GA202 reads names: `password`, `auth_token`, `client_secret`, `private_key`,
`api_key.value`; also `plaintext`, `key_material_base64`, `ssh_key`), a value written in the configuration
fails unless it only names a secret, points at a file or says there is none (an ARN, `prod/db/password`,
`none`, an empty string, `<password>`); so does the literal text of a template around values given at apply
time (`"${var.user}-Tr0ub4dor"`). Where the provider marks the argument sensitive but its name calls it
no credential (a certificate, a user name, a login banner, a configuration document), a value fails only when
it is shaped like a credential (a private key, an AWS access key id, a token), and a map
(`aws_glue_connection.connection_properties`) fails when an entry under a secret-like key (`PASSWORD`) holds
a literal. A value known only at apply time passes: a variable without default, a resource attribute,
`jsondecode(data.aws_secretsmanager_secret_version.db.secret_string)["password"]`. A credential argument
whose value cannot be resolved is `unknown`.

**Why it matters**
`sensitive` hides a value from plan output, not from the repository: a password written in the code is in its
history, in every plan file and in the state, and rotating it means a commit.

**Fails**
    resource "aws_db_instance" "reports" {
      identifier          = "fitness-reports"
      engine              = "postgres"
      instance_class      = "db.t4g.micro"
      allocated_storage   = 20
      username            = "reports"
      password            = "Tr0ub4dor-and-3"
      skip_final_snapshot = true
    }

**Passes**
    data "aws_secretsmanager_secret_version" "reports" {
      secret_id = "fitness/reports-db"
    }

    resource "aws_db_instance" "reports" {
      identifier          = "fitness-reports"
      engine              = "postgres"
      instance_class      = "db.t4g.micro"
      allocated_storage   = 20
      username            = "reports"
      password            = jsondecode(data.aws_secretsmanager_secret_version.reports.secret_string)["password"]
      skip_final_snapshot = true
    }

**Fix**
Let the service manage the credential (`manage_master_user_password = true`), generate it (an ephemeral
`aws_secretsmanager_random_password` into a write-only `*_wo` argument), or read it at apply time from
Secrets Manager or a variable without default.

**Limits**
Resources only: data sources and ephemeral resources take no credential the user writes. Which arguments are
sensitive is the provider's word (5.100.0): an argument it does not mark (`aws_ssm_parameter.insecure_value`) is
another rule's or nobody's. One result per argument that fails or is unsure, so that each is masked in reports;
one `passed` result per resource with sensitive arguments set and none failing.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Attribute, Block, Stack, Unknown, provider_sensitive
from gateaudit.provenance import Origin, origin, written_in
from gateaudit.result import Result, Severity

from . import Rule
from ._secrets import BY_NAME, credential_in, credential_in_template, credential_shape, secret_like

RULE = Rule(
    id="GA206",
    control="secret-not-hardcoded",
    severity=Severity.CRITICAL,
    title="Arguments the AWS provider marks sensitive hold no literal credential",
    rationale="Sensitive hides a value from plan output, not from the repository, the plan files or the state.",
    remediation="Let the service manage the credential, generate it into a write-only argument, or read it at "
                "apply time from Secrets Manager or a variable without default.",
    mappings={"NIST SP 800-53 rev 5": ("IA-5(7)",)},
)

# Judged by GA201, GA204 and GA207: one value, one result.
_JUDGED_ELSEWHERE = {"aws_secretsmanager_secret_version": None, "aws_api_gateway_api_key": {"value"},
                     "aws_ssm_parameter": {"value", "value_wo", "insecure_value"}}
# Sensitive arguments that hold a credential although their names do not say so.
_CREDENTIAL_ARGUMENTS = {"plaintext", "key_material_base64", "certificate_wallet", "service_json", "ssh_key"}


def check(stack: Stack) -> Iterator[Result]:
    for block in stack.blocks(kind="resource"):
        skipped = _JUDGED_ELSEWHERE.get(block.type, set())
        if skipped is None or not provider_sensitive(block) - skipped:
            continue
        sensitive = [a for a in _arguments(block) if a.sensitive and a.path not in skipped]
        if sensitive:
            yield from _judge(block, sensitive)


def _arguments(block: Block) -> list[Attribute]:
    found = list(block.attributes.values())
    for nested in block.nested:
        found += _arguments(nested)
    return found


def _judge(block: Block, sensitive: list[Attribute]) -> Iterator[Result]:
    judged = False
    for attribute in sensitive:
        name = "secret" if attribute.name in _CREDENTIAL_ARGUMENTS else attribute.path.replace(".", "_")
        found = origin(attribute, secret_like)
        why = _written(name, attribute, found)
        if why is not None:
            judged = True
            yield RULE.failed(block, f"{attribute.path} holds {why} written in the configuration "
                                     f"({written_in(attribute)}): the provider marks it sensitive, which hides it "
                                     "from plan output, not from the repository or the state; let the service "
                                     "manage it, generate it, or read it at apply time", attribute.path)
        elif found.source == "unresolved" and secret_like(name):
            judged = True
            yield RULE.unknown(block, f"cannot tell whether {attribute.path} (sensitive) is written in the "
                                      f"configuration: {found.detail}", attribute.path)
    if not judged:
        paths = ", ".join(a.path for a in sensitive)
        yield RULE.passed(block, f"no literal credential in its sensitive arguments ({paths})")


def _written(name: str, attribute: Attribute, found: Origin) -> str | None:
    """What credential the configuration writes into the argument, or None: a literal (or a literal branch or
    fallback), a value computed from literals, or the literal text of a template around apply-time values."""
    if found.source == "fixed" and found.value is None:
        return f"a value computed from literals ({found.detail})" if found.detail else None
    if found.source == "fixed":
        why = _why(name, found.value)
        return None if why is None else "a literal credential" if why == BY_NAME else why
    value = attribute.value
    if isinstance(value, Unknown) and isinstance(value.partial, str):
        why = credential_in_template(name, value.partial)
        return None if why is None else f"{'a literal credential' if why == BY_NAME else why} in a template"
    return None


def _why(name: str, value: object) -> str | None:
    """Why a value written for the argument `name` is a credential: by name and value, or, in a map, by each
    entry's key and value."""
    if isinstance(value, dict):
        return next((why for key, item in value.items() if (why := _why(key, item)) is not None), None)
    if isinstance(value, list):
        return next((why for item in value if (why := _why(name, item)) is not None), None)
    if not isinstance(value, str):
        return None
    return credential_in(name, value) if secret_like(name) else credential_shape(value)
