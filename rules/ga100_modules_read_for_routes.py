"""GA100: Every module call that may define routes is read and judged.

**What it checks**
Every `module` call whose source gateaudit did not read: a registry or git source `terraform init` did not
download (or whose download no longer matches the call), a local folder that does not exist or is outside the
repository root, or a module past a scan limit. Each gives an `unknown` result in
the authorizer-attached control, naming the call, its source and why it was not read.

**Why it matters**
What a module defines is judged only if gateaudit reads it. A module it did not read may hold a route (API
Gateway routes, methods, authorizers) that no rule judged; a gate that passed it would pass what nobody looked
at.

**Fails**
    module "api" {
      source  = "terraform-aws-modules/apigateway-v2/aws"
      version = "~> 5.0"
    }

**Passes**
    # a local module inside the repository: it is read, and the other rules judge its resources
    module "api" {
      source = "./modules/api"
    }

**Fix**
Run `terraform init -backend=false` in the root before the scan (gateaudit then reads the module from
`.terraform/modules`, as the call's child), fix a local source that leads nowhere, vendor the module into the
repository, or accept the gap knowingly with `--allow-unscanned-modules` (the results are then shown as
suppressed).

**Limits**
This rule judges no resource: it only says what was not read. Its result is `unknown`, never `failed`.
"""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.model import Stack
from gateaudit.result import Result, Severity

from . import Rule
from ._unscanned import unscanned_calls

RULE = Rule(
    id="GA100",
    control="authorizer-attached",
    severity=Severity.HIGH,
    title="Every module call that may define routes is read and judged",
    rationale="A module gateaudit did not read may define an API method or route with no authorizer; no rule "
              "judged it.",
    remediation="Run terraform init before the scan (the downloaded module is then read), vendor the module, "
                "or accept the gap with --allow-unscanned-modules.",
)


def check(stack: Stack) -> Iterator[Result]:
    yield from unscanned_calls(RULE, stack, "routes, methods and authorizers")
