"""Baselines: today's failures, recorded so a gate can be rolled out on a repository that has findings.

An entry accepts a finding, not a resource. It is identified by rule, resource address, attribute path and
folder, not by line, so it survives edits that move lines; and it carries a fingerprint of what was found
(`fingerprint`): the message without its file:line locations, and the value of the attribute the finding is
about (the policy document, the environment map, the authorization), hashed. A second secret in a baselined
function, a changed secret, a wider action in a baselined policy: each changes the fingerprint, so the
finding fails again and its old entry is listed as no longer occurring. A scan with `--baseline` shows
recorded failures as suppressed, fails only on new or changed ones, and lists entries that no longer occur
so the file can shrink.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .result import Result, Status
from .suppressions import Suppression

if TYPE_CHECKING:  # a block is read while judging; loading a baseline, or reusing a judgement, needs no model
    from .model import Block

FORMAT_VERSION = 2  # 1 had no fingerprints: its entries accepted any finding of the rule on the resource
# The line after a file name in a message (`variables.tf:12`): anchored on the suffix, so it runs in linear
# time over a message of any length (a message may quote a long value).
_LOCATION = re.compile(r"(\.tf|\.tf\.json|\.tfvars|\.tfvars\.json):\d+")


def fingerprint(result: Result, block: Block | None = None) -> str:
    """A digest of what a result found: rule, resource, attribute, the message without line numbers, and the
    value at the result's attribute in `block` (the resource it judged), where there is one."""
    return fingerprint_with(result, evidence(block, result.attribute) if block is not None and result.attribute
                            else "")


def fingerprint_with(result: Result, found: str) -> str:
    """`fingerprint`, given what `evidence` read of the block (a root judged apart keeps it, not the block)."""
    digest = hashlib.sha256()
    for part in (result.rule_id, result.resource, result.attribute or "", _LOCATION.sub(r"\1", result.message), found):
        digest.update(part.encode("utf-8", "surrogatepass") + b"\0")
    return digest.hexdigest()


def evidence(block: Block, path: str) -> str:
    """What a fingerprint reads of a block: the values at an attribute path, canonical."""
    return _canonical(_evidence(block, path))


def _evidence(block: Block, path: str) -> Any:
    """The evaluated values at an attribute path (`environment.variables`), or the arguments of the nested
    blocks it names (`inline_policy`)."""
    attributes = block.attributes_at(path)
    if attributes:
        return [attribute.value for attribute in attributes]
    return [{key: child.value(key) for key in sorted(child.attributes)} for child in block.blocks_at(path)]


def _canonical(value: Any) -> str:
    from .model import Unknown

    def plain(item: Any) -> Any:
        if isinstance(item, Unknown):
            return f"<unknown {','.join(item.refs)}>"  # not its reason: that may name a file and line
        if isinstance(item, dict):
            return {str(key): plain(child) for key, child in item.items()}
        if isinstance(item, list | tuple):
            return [plain(child) for child in item]
        return item if isinstance(item, str | int | float | bool) or item is None else repr(item)

    return json.dumps(plain(value), sort_keys=True, ensure_ascii=True)


class BaselineError(Exception):
    pass


def entry(result: Result) -> dict:
    return {"rule_id": result.rule_id, "resource": result.resource, "attribute": result.attribute,
            "folder": posixpath.dirname(result.file), "file": result.file, "line": result.line,
            "fingerprint": result.fingerprint or fingerprint(result)}


def render(results: list[Result]) -> str:
    recorded = sorted({json.dumps(entry(r), sort_keys=True) for r in results
                       if r.status in (Status.FAILED, Status.UNKNOWN)})
    document = {"gateaudit_baseline": FORMAT_VERSION, "entries": [json.loads(item) for item in recorded]}
    return json.dumps(document, indent=2) + "\n"


def load(path: Path) -> list[Suppression]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"baseline {path}: cannot read: {error}") from None
    except json.JSONDecodeError as error:
        raise BaselineError(f"baseline {path}: not JSON (line {error.lineno}: {error.msg})") from None
    if isinstance(document, dict) and document.get("gateaudit_baseline") == 1:
        raise BaselineError(f"baseline {path}: version 1 records no fingerprints, so each entry would accept any "
                            "finding of its rule on its resource; write it again with `gateaudit baseline` on a "
                            "scan you have reviewed")
    if not isinstance(document, dict) or document.get("gateaudit_baseline") != FORMAT_VERSION:
        raise BaselineError(f"baseline {path}: not a gateaudit baseline (version {FORMAT_VERSION})")
    suppressions = []
    for number, item in enumerate(document.get("entries", []), start=1):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str)
                                                 for k in ("rule_id", "resource", "fingerprint")):
            raise BaselineError(f"baseline {path}: entry {number} needs rule_id, resource and fingerprint")
        suppressions.append(Suppression(item["rule_id"], f"recorded in the baseline {path.name}", None, "baseline",
                              item.get("file"), item.get("line"), resource=item["resource"],
                              attribute=item.get("attribute"), folder=item.get("folder"),
                              fingerprint=item["fingerprint"]))
    return suppressions
