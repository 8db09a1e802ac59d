"""GA205: the AWS provider takes no credentials written in the configuration.

**What it checks**
Each `provider "aws"` block, aliased or not: `access_key`, `secret_key`, `token` and
`assume_role_with_web_identity.web_identity_token` must not be fixed by the configuration (a literal, a
local, a variable default or tfvars value). Set from a variable without default, they pass; absent, the
provider uses its credential chain (environment, profile, SSO, instance role), which passes. An empty string
counts as unset: the provider ignores it and falls back to that chain. Each credential written (or that
cannot be decided) is a result of its own, naming its argument: `access_key` and `secret_key` written side
by side are two failures, each reported and each masked in every report.

**Why it matters**
Provider credentials are usually long-lived keys of a deploying principal with wide permissions; in the
repository they give anyone who clones it that principal's access to the account.

**Fails**
    provider "aws" {
      region     = "eu-west-1"
      access_key = "AKIAIOSFODNN7EXAMPLE"
      secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    }

**Passes**
    provider "aws" {
      region = "eu-west-1"
    }

**Fix**
Delete the arguments and run Terraform with credentials from the environment: `AWS_PROFILE`, SSO,
`assume_role { role_arn = ... }`, or the CI's OIDC role (`web_identity_token_file`).

**Limits**
An aliased provider is addressed `provider.aws.<alias>`; messages name the alias too.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Block, Stack
from gateaudit.provenance import origin, written_in
from gateaudit.result import Result, Severity

from . import Rule
from ._secrets import secret_like

RULE = Rule(
    id="GA205",
    control="secret-not-hardcoded",
    severity=Severity.CRITICAL,
    title="The AWS provider takes no credentials written in the configuration",
    rationale="Provider credentials in the code give anyone who reads it the deploying principal's access.",
    remediation="Remove access_key, secret_key and token; let the provider read credentials from the "
                "environment, a profile, SSO or an assumed role.",
    mappings={"NIST SP 800-53 rev 5": ("IA-5(7)",)},
)

_CREDENTIALS = ("access_key", "secret_key", "token")


def check(stack: Stack) -> Iterator[Result]:
    for provider in stack.blocks(kind="provider"):
        if provider.name == "aws":
            yield from _judge(provider)


def _judge(provider: Block) -> Iterator[Result]:
    """One result per credential written or undecided, so that each is reported (and masked in reports);
    one passed result when there is none."""
    alias = provider.value("alias")
    which = f'provider "aws" (alias "{alias}")' if isinstance(alias, str) else 'provider "aws"'
    attributes = [a for a in (provider.get(n) for n in _CREDENTIALS) if a is not None]
    attributes += [a for b in provider.blocks("assume_role_with_web_identity")
                   if (a := b.get("web_identity_token")) is not None]
    judged = False
    supplied: list[str] = []
    for attribute in attributes:
        found = origin(attribute, secret_like)
        if found.source == "unresolved":
            judged = True
            yield RULE.unknown(provider, f"{which}: cannot tell whether {attribute.path} is written in the "
                                         f"configuration: {found.detail}", attribute)
        elif found.source == "fixed" and found.value not in (None, ""):
            judged = True
            yield RULE.failed(provider, f"{which} has {attribute.path} written in the configuration "
                                        f"({written_in(attribute)}); remove it and let the provider read "
                                        "credentials from the environment, a profile, SSO or an assumed role",
                              attribute)
        elif found.source == "supplied":
            supplied.append(attribute.path)
    if judged:
        return
    if supplied:
        yield RULE.passed(provider, f"{which}: {', '.join(supplied)} set at apply time", attributes[0])
    else:
        yield RULE.passed(provider, f"{which} takes credentials from its credential chain, none from the "
                                    "configuration")
