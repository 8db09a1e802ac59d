"""GA202: Lambda environment variables hold no literal credentials, judged by their name and by their value.

**What it checks**
Each `aws_lambda_function` with `environment { variables = {...} }`: no value written in the configuration may
be a credential. A value fails when it is shaped like one whatever its name: an AWS access key id
(`AKIA`/`ASIA` + 16), a private key block (PEM, OpenSSH, PGP), a JSON web token (its header decodes to JSON
naming an algorithm), an HTTP `Bearer <token>` or `Basic <base64 user:password>`, a token with a vendor's
prefix (GitHub `ghp_`, GitLab `glpat-`, Slack `xoxb-` and webhook URLs, Stripe `sk_live_`/`sk_test_`, Google
`AIza`, SendGrid `SG.`, npm `npm_`, OpenAI/Anthropic `sk-`), a URL with a password, a long high-entropy token.
It also fails when its name is secret-like and the value does not merely name a secret. A name is secret-like
when its last word (before `_VALUE`-like suffixes) is a secret's: `*_PASSWORD`, `*_PASSWD`, `*_PWD`, `*_PW`,
`*_PASS`, `*_SECRET`, `*_TOKEN`, `*_CREDS`, `*_CREDENTIALS`, `*_AUTH`, `*_JWT`, `<qualifier>_KEY`, or one word
ending in one (`DBPASSWORD`, `AUTHTOKEN`). Under such a name, these pass: ARNs, `prod/app/api-key`-style
names, KMS aliases, URLs without credentials, route keys (`GET /orders/{id}`, `$default`), file names
(`authorizer-1.4.2.zip`), booleans, numbers, empty strings, words that mean none (`none`, `disabled`, `n/a`),
placeholders a later step fills in (`<password>`, `{{ token }}`), any value that is a secret's
`name`/`arn`/`id` taken from an `aws_secretsmanager_secret`, `aws_ssm_parameter` or KMS key reference or equal
to the name of a secret or parameter of the stack, and, under `*_AUTH`, a mode name in one case without digits
(`AWS_IAM`, `cognito`). A placeholder deployed as it is (`changeme`) fails: the function would use it as its
credential. A literal branch of an undecided conditional or a literal `coalesce()` fallback counts as written,
and so does a literal beside an unknown map in `merge()`, and the literal text of a template around values
given at apply time (`"Bearer ${var.prefix}q8Zt3Lm0Vx7R"`) when it is shaped like a credential, or under a
secret-like name when it is 8 characters or more without spaces mixing letters and digits or cases.

An entry known only at apply time (or through a function gateaudit does not evaluate) is `unknown` only under
a name that calls its value a credential by itself (`*_PASSWORD`, `*_TOKEN`, `API_KEY`, `PRIVATE_KEY`);
under `ROUTE_KEY`, `SOURCE_KEY` or `*_AUTH` only a value could make it one.

**Why it matters**
Environment variables are plain function configuration: anyone allowed `lambda:GetFunctionConfiguration`,
every plan, the state and the repository show them. A credential there cannot be rotated without a deploy.

**Fails**
    resource "aws_lambda_function" "backend" {
      function_name = "fitness-backend"
      role          = "arn:aws:iam::123456789012:role/fitness-backend"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = "backend.zip"

      environment {
        variables = {
          DB_CREDS      = "reports:Tr0ub4dor-and-3"
          UPSTREAM_CALL = "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmaXRuZXNzIn0.c2lnbmF0dXJl"
        }
      }
    }

**Passes**
    resource "aws_secretsmanager_secret" "db" {
      name = "fitness/db"
    }

    resource "aws_lambda_function" "backend" {
      function_name = "fitness-backend"
      role          = "arn:aws:iam::123456789012:role/fitness-backend"
      runtime       = "python3.12"
      handler       = "handler.handler"
      filename      = "backend.zip"

      environment {
        variables = {
          DB_CREDS_SECRET_ARN = aws_secretsmanager_secret.db.arn
          AUTH                = "AWS_IAM"
        }
      }
    }

**Fix**
Keep the credential in Secrets Manager (or an SSM SecureString), pass its ARN or name, and read it in the
function; grant the role `secretsmanager:GetSecretValue` on that secret only.

**Limits**
Functions without environment variables give no result. Names and shapes are heuristics: a secret under
an innocent name, shorter than 32 characters and of no known shape, is missed, and so is a lowercase word
under `*_AUTH` (`AUTH = "letmein"` reads as a mode); a path-less secret name under a secret-like name
(`API_KEY_SECRET = "fitness-api-key"`) fails unless a secret or parameter of the stack has that name. A
variable without default feeding an entry passes: it is not written here, though the value still lands in
the function's configuration.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Attribute, Block, Stack, Unknown, contains_unknown, unknowns
from gateaudit.provenance import fixed_outcomes, is_reference, map_entries, plain, supplied_at_apply, written_in
from gateaudit.result import Result, Severity

from . import Rule
from ._secrets import (
    credential_in,
    credential_in_template,
    declared_secret_names,
    named_credential,
    names_referenced_secret,
)

RULE = Rule(
    id="GA202",
    control="secret-not-hardcoded",
    severity=Severity.CRITICAL,
    title="Lambda environment variables hold no literal credentials, judged by name and by value",
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
        where = f" ({written_in(attribute)})" if is_reference(attribute) else ""
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
        if not contains_unknown(value) or not named_credential(name):
            continue  # `ROUTE_KEY` from apply time: only a value could make it a credential
        if _supplied(attribute, value):
            supplied.append(name)
        else:
            unresolved.append(f"{name} ({next(unknowns(value, encoded=True)).reason})")
    if unresolved:
        return RULE.unknown(function, "cannot tell whether these secret-like environment variables hold "
                                      f"literal credentials: {', '.join(unresolved)}", attribute)
    later = f" ({', '.join(supplied)} set at apply time)" if supplied else ""
    return RULE.passed(function, f"{len(variables)} environment variable(s), none holds a literal "
                                 f"credential{later}", attribute)


def _credentials(attribute: Attribute, variables: object, named: set[str]) -> list[str]:
    """Entries holding a literal credential: as their value, or as a branch or fallback written in the map
    (`DB_PASSWORD = var.prod ? var.password : "devpassword"`), also beside an unknown map in merge()."""
    written = map_entries(attribute)
    found = []
    for name in variables if isinstance(variables, dict) else written:
        value = variables[name] if isinstance(variables, dict) else written[name].value
        if not contains_unknown(value):
            candidates, how = [value], ""
        elif name in written:
            candidates, how = fixed_outcomes(written[name]), " in one branch or fallback"
        else:
            candidates, how = [], ""
        reasons = (f"{why}{how}" for text in candidates if isinstance(text, str) and text not in named
                   and (why := credential_in(name, text)) is not None and not names_referenced_secret(attribute, text))
        reason = next(reasons, None)
        if reason is None and isinstance(value, Unknown) and isinstance(value.partial, str):
            why = credential_in_template(name, value.partial)
            reason = f"{why} in the text of a template" if why is not None else None
        if reason is not None:
            found.append(f"{name} ({reason})")
    return found


def _supplied(attribute: Attribute, value: object) -> bool:
    """Every unknown in the value waits for apply time, through plain references only."""
    return plain(attribute) and all(map(supplied_at_apply, unknowns(value, encoded=True)))
