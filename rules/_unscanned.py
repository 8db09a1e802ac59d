"""Module calls gateaudit did not read: what they define was judged by no rule, so it is `unknown`.

The four coverage rules (GA100, GA200, GA300, GA400), one per control, share this: each gives, for every
module call whose source was not loaded (a registry or git source `terraform init` did not download, a local
folder that does not exist, a source outside the repository root, a module past a limit), an `unknown` result
in its control. A control with such a call then never reads "passed" or "not applicable" on the strength of
what was not seen.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from gateaudit.result import Result

from . import Rule

if TYPE_CHECKING:  # policy and masking read RULE_IDS with no model loaded (a scan that reuses a judgement)
    from gateaudit.model import Stack

RULE_IDS = ("GA100", "GA200", "GA300", "GA400")  # what --allow-unscanned-modules accepts
ALLOWED = "accepted with --allow-unscanned-modules: what this module defines was not judged"


def unscanned_calls(rule: Rule, stack: Stack, holds: str) -> Iterator[Result]:
    """One unknown per module call that was not read; `holds` names what this control would judge in it."""
    # By address and place: roots of one folder may each call a module of the same name, and each gap is its own
    # call's (matched by address alone, the last root's call took every root's gap, and its suppression with it)
    calls = {(block.address, block.location.file, block.location.line): block
             for block in stack.blocks(kind="module")}
    for gap in stack.not_scanned:
        call = calls.get((gap.address, gap.location.file, gap.location.line))
        if call is None:  # not_scanned is filled from module calls; a gap without one is a loader bug
            raise LookupError(f"{gap.address} is listed as not scanned but is no module call of the stack")
        yield rule.unknown(call, f"{gap.address} ({gap.source}) was not scanned: {gap.reason}; the {holds} it "
                                 "may define were judged by no rule", attribute="source")
