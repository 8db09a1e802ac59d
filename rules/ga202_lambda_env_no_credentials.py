"""GA202: Lambda environment variables hold no literal credentials.

**What it checks**
Each `aws_lambda_function` with `environment { variables = {...} }`: no value written in the
configuration may be a credential. A value fails when it is shaped like one whatever its name (an AWS
access key id `AKIA`/`ASIA` + 16, a private key, a JWT, a GitHub/Slack/Stripe token, a URL with a password,
a long high-entropy token), or when its name is secret-like (`*_KEY`, `*_SECRET`, `*_TOKEN`, `*_PASSWORD`)
and the value does not merely name a secret: ARNs, `prod/app/api-key`-style names, KMS aliases, URLs
without credentials, booleans, numbers and empty strings pass, and so does any value that is a secret's
`name`/`arn`/`id` taken from an `aws_secretsmanager_secret`, `aws_ssm_parameter` or KMS key reference.

**Why it matters**
Environment variables are plain function configuration: anyone allowed `lambda:GetFunctionConfiguration`,
every plan, the state and the repository show them. A credential there cannot be rotated without a deploy.

**Fails**
    environment {
      variables = {
        SECRET_KEY = "hunter2-correct-horse"
      }
    }

**Passes**
    environment {
      variables = {
        API_KEY_SECRET_ARN = aws_secretsmanager_secret.api_key.arn
      }
    }

**Fix**
Keep the credential in Secrets Manager (or an SSM SecureString), pass its ARN or name, and read it in the
function; grant the role `secretsmanager:GetSecretValue` on that secret only.

**Limits**
Functions without environment variables give no result. Names and shapes are heuristics: a secret under
an innocent name and shorter than 32 characters is missed. A variable without default feeding an entry
passes: it is not written here, though the value still lands in the function's configuration.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Attribute, Block, Stack, Unknown, contains_unknown
from gateaudit.result import Result, Severity

from . import Rule
from ._secrets import credential_in, plain, secret_like, supplied_at_apply, unknown_leaves

RULE = Rule(
    id="GA202",
    control="secret-not-hardcoded",
    severity=Severity.CRITICAL,
    title="Lambda environment variables hold no literal credentials",
    rationale="Environment variables are readable in the function's configuration, the plan, the state and "
              "the repository.",
    remediation="Store the credential in Secrets Manager, pass the secret's ARN in the environment and read "
                "the value in the function.",
    mappings={"NIST SP 800-53 rev 5": ("IA-5(7)",)},
)

_NAMING_TYPES = ("aws_secretsmanager_secret", "aws_ssm_parameter", "aws_kms_key", "aws_kms_alias")
_NAMING_ATTRIBUTES = ("name", "arn", "id", "key_id", "target_key_arn")


def check(stack: Stack) -> Iterator[Result]:
    for function in stack.resources("aws_lambda_function"):
        attributes = [e.get("variables") for e in function.blocks("environment") if e.get("variables")]
        if attributes and attributes[0].value is not None:
            yield _judge(function, attributes[0])


def _judge(function: Block, attribute: Attribute) -> Result:
    variables = attribute.value
    if isinstance(variables, Unknown):
        if _supplied(attribute, variables):
            return RULE.passed(function, f"environment variables come from {', '.join(variables.refs)}, "
                                         "known only at apply time", attribute)
        return RULE.unknown(function, f"environment variables cannot be resolved: {variables.reason}",
                            attribute)
    if not isinstance(variables, dict):
        return RULE.unknown(function, "environment variables are not a map", attribute)
    credentials, unresolved, supplied = [], [], []
    for name, value in variables.items():
        if contains_unknown(value):
            if not secret_like(name):
                continue
            if _supplied(attribute, value):
                supplied.append(name)
            else:
                leaf = next(unknown_leaves(value))
                unresolved.append(f"{name} ({leaf.reason})")
            continue
        why = credential_in(name, value) if isinstance(value, str) else None
        if why is not None and not _names_referenced_secret(attribute, value):
            credentials.append(f"{name} ({why})")
    if credentials:
        return RULE.failed(function, "environment variables hold literal credentials: "
                                     f"{', '.join(credentials)}; keep them in Secrets Manager and pass the "
                                     "secret's ARN instead", attribute)
    if unresolved:
        return RULE.unknown(function, "cannot tell whether these secret-like environment variables hold "
                                      f"literal credentials: {', '.join(unresolved)}", attribute)
    later = f" ({', '.join(supplied)} set at apply time)" if supplied else ""
    return RULE.passed(function, f"{len(variables)} environment variable(s), none holds a literal "
                                 f"credential{later}", attribute)


def _supplied(attribute: Attribute, value: object) -> bool:
    """Every unknown in the value waits for apply time, through plain references only."""
    return plain(attribute.expr, attribute.block.scope) and all(map(supplied_at_apply, unknown_leaves(value)))


def _names_referenced_secret(attribute: Attribute, value: str) -> bool:
    """The value is the name, ARN or id of a secret, parameter or key the map refers to."""
    for ref in attribute.references:
        if ref.block.type in _NAMING_TYPES and ref.attribute in _NAMING_ATTRIBUTES:
            named = ref.block.value(ref.attribute)
            if isinstance(named, str) and named == value:
                return True
    return False
