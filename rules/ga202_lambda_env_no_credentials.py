"""GA202: Lambda environment variables hold no literal credentials.

**What it checks**
Each `aws_lambda_function` with `environment { variables = {...} }`: no value written in the
configuration may be a credential. A value fails when it is shaped like one whatever its name (an AWS
access key id `AKIA`/`ASIA` + 16, a private key, a JWT, a GitHub/Slack/Stripe token, a URL with a password,
a long high-entropy token), or when its name is secret-like (`*_KEY`, `*_SECRET`, `*_TOKEN`, `*_PASSWORD`)
and the value does not merely name a secret: ARNs, `prod/app/api-key`-style names, KMS aliases, URLs
without credentials, booleans, numbers and empty strings pass, and so does any value that is a secret's
`name`/`arn`/`id` taken from an `aws_secretsmanager_secret`, `aws_ssm_parameter` or KMS key reference, or
equal to the name of a secret or parameter of the stack. A literal branch of an undecided conditional or a
literal `coalesce()` fallback counts as written, and so does a literal beside an unknown map in `merge()`.

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
an innocent name and shorter than 32 characters is missed; a path-less secret name under a secret-like name
(`API_KEY_SECRET = "fitness-api-key"`) fails unless a secret or parameter of the stack has that name. A
variable without default feeding an entry passes: it is not written here, though the value still lands in
the function's configuration.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.evaluate import evaluate
from gateaudit.expr import Traversal
from gateaudit.model import Attribute, Block, Stack, Unknown, contains_unknown
from gateaudit.result import Result, Severity

from . import Rule
from ._secrets import (
    credential_in,
    declared_secret_names,
    fixed_outcomes,
    map_entries,
    names_referenced_secret,
    plain,
    secret_like,
    supplied_at_apply,
    unknown_leaves,
    written_in,
)

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


def check(stack: Stack) -> Iterator[Result]:
    named = declared_secret_names(stack)
    for function in stack.resources("aws_lambda_function"):
        attributes = [e.get("variables") for e in function.blocks("environment") if e.get("variables")]
        if attributes and attributes[0].value is not None:
            yield _judge(function, attributes[0], named)


def _judge(function: Block, attribute: Attribute, named: set[str]) -> Result:
    variables = attribute.value
    credentials = _credentials(attribute, variables, named)
    if credentials:
        where = f" ({written_in(attribute)})" if isinstance(attribute.expr, Traversal) else ""
        return RULE.failed(function, f"environment variables hold literal credentials{where}: "
                                     f"{', '.join(credentials)}; keep them in Secrets Manager and pass the "
                                     "secret's ARN instead", attribute)
    if isinstance(variables, Unknown):
        if _supplied(attribute, variables):
            return RULE.passed(function, f"environment variables come from {', '.join(variables.refs)}, "
                                         "known only at apply time", attribute)
        return RULE.unknown(function, f"environment variables cannot be resolved: {variables.reason}",
                            attribute)
    if not isinstance(variables, dict):
        return RULE.unknown(function, "environment variables are not a map", attribute)
    unresolved, supplied = [], []
    for name, value in variables.items():
        if not contains_unknown(value) or not secret_like(name):
            continue
        if _supplied(attribute, value):
            supplied.append(name)
        else:
            unresolved.append(f"{name} ({next(unknown_leaves(value)).reason})")
    if unresolved:
        return RULE.unknown(function, "cannot tell whether these secret-like environment variables hold "
                                      f"literal credentials: {', '.join(unresolved)}", attribute)
    later = f" ({', '.join(supplied)} set at apply time)" if supplied else ""
    return RULE.passed(function, f"{len(variables)} environment variable(s), none holds a literal "
                                 f"credential{later}", attribute)


def _credentials(attribute: Attribute, variables: object, named: set[str]) -> list[str]:
    """Entries holding a literal credential: as their value, or as a branch or fallback written in the map
    (`DB_PASSWORD = var.prod ? var.password : "devpassword"`), also beside an unknown map in merge()."""
    written = map_entries(attribute.expr, attribute.block.scope)
    found = []
    for name in variables if isinstance(variables, dict) else written:
        value = variables[name] if isinstance(variables, dict) else evaluate(*written[name])
        if not contains_unknown(value):
            candidates, how = [value], ""
        elif name in written:
            candidates, how = fixed_outcomes(*written[name]), " in one branch or fallback"
        else:
            continue
        for text in (c for c in candidates if isinstance(c, str) and c not in named):
            why = credential_in(name, text)
            if why is not None and not names_referenced_secret(attribute, text):
                found.append(f"{name} ({why}{how})")
                break
    return found


def _supplied(attribute: Attribute, value: object) -> bool:
    """Every unknown in the value waits for apply time, through plain references only."""
    return plain(attribute.expr, attribute.block.scope) and all(map(supplied_at_apply, unknown_leaves(value)))
