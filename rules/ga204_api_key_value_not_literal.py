"""GA204: API Gateway API key values are generated, not written in the configuration.

**What it checks**
Each `aws_api_gateway_api_key`: `value`, when set, must not be fixed by the configuration (a literal, a
local, a variable default or tfvars value, a literal fallback). Without `value`, API Gateway generates the
key, which passes; so does a value from `random_password.x.result` or from a variable without default.

**Why it matters**
A key written in the code is known to everyone who can read the repository, a plan or the state; callers
holding it pass `api_key_required` and spend the usage plan of the client it was issued to.

**Fails**
    resource "aws_api_gateway_api_key" "partner" {
      name  = "partner"
      value = "pk-8d7f6e5c4b3a29181716151413121110"
    }

**Passes**
    resource "aws_api_gateway_api_key" "partner" {
      name = "partner"
    }

**Fix**
Remove `value` and let API Gateway generate the key (read it with `aws apigateway get-api-key
--include-value`), or set it from `random_password.<name>.result`.

**Limits**
Severity is high, not critical: API keys identify clients for usage plans and are not the authentication
boundary (GA101 requires an authorizer). A generated key still lands in the state.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, Stack
from gateaudit.provenance import origin, written_in
from gateaudit.result import Result, Severity

from . import Rule
from ._secrets import secret_like

RULE = Rule(
    id="GA204",
    control="secret-not-hardcoded",
    severity=Severity.HIGH,
    title="API Gateway API key values are generated, not written in the configuration",
    rationale="A key written in the configuration is known to anyone who reads the repository, a plan or the "
              "state.",
    remediation="Remove value so that API Gateway generates the key, or set it from "
                "random_password.<name>.result.",
    mappings={
        "NIST SP 800-53 rev 5": ("IA-5(7)",),
        "OWASP API Top 10 2023": ("API2:2023",),
    },
)


def check(stack: Stack) -> Iterator[Result]:
    for key in stack.resources("aws_api_gateway_api_key"):
        yield _judge(key)


def _judge(key: Block) -> Result:
    attribute = key.get("value")
    found = origin(attribute, secret_like) if attribute is not None else None
    if found is None or (found.source == "fixed" and found.value is None and not found.detail):
        return RULE.passed(key, "value is not set: API Gateway generates the key")
    if found.source == "fixed":
        where = found.detail or written_in(attribute)
        return RULE.failed(key, f"value is written in the configuration ({where}): the key is in the "
                                "repository, every plan and the state; remove value to let API Gateway "
                                "generate it, or use random_password.<name>.result", attribute)
    if found.source == "unresolved":
        return RULE.unknown(key, f"cannot tell whether value is written in the configuration: {found.detail}",
                            attribute)
    return RULE.passed(key, f"value comes from {found.detail}, known only at apply time", attribute)
