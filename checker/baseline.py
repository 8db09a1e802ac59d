"""Baselines: today's failures, recorded so a gate can be rolled out on a repository that has findings.

An entry is identified by rule, resource address, attribute path and folder, not by line, so it survives
edits that move lines. A scan with `--baseline` shows recorded failures as suppressed, fails only on new
ones, and lists entries that no longer occur so the file can shrink.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import Path

from .result import Result, Status
from .suppressions import Waiver

FORMAT_VERSION = 1


class BaselineError(Exception):
    pass


def entry(result: Result) -> dict:
    return {"rule_id": result.rule_id, "resource": result.resource, "attribute": result.attribute,
            "folder": posixpath.dirname(result.file), "file": result.file, "line": result.line}


def render(results: list[Result]) -> str:
    recorded = sorted({json.dumps(entry(r), sort_keys=True) for r in results
                       if r.status in (Status.FAILED, Status.UNKNOWN)})
    document = {"gateaudit_baseline": FORMAT_VERSION, "entries": [json.loads(item) for item in recorded]}
    return json.dumps(document, indent=2) + "\n"


def load(path: Path) -> list[Waiver]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"baseline {path}: cannot read: {error}") from None
    except json.JSONDecodeError as error:
        raise BaselineError(f"baseline {path}: not JSON (line {error.lineno}: {error.msg})") from None
    if not isinstance(document, dict) or document.get("gateaudit_baseline") != FORMAT_VERSION:
        raise BaselineError(f"baseline {path}: not a gateaudit baseline (version {FORMAT_VERSION})")
    waivers = []
    for number, item in enumerate(document.get("entries", []), start=1):
        if not isinstance(item, dict) or not all(isinstance(item.get(k), str) for k in ("rule_id", "resource")):
            raise BaselineError(f"baseline {path}: entry {number} needs rule_id and resource")
        waivers.append(Waiver(item["rule_id"], f"recorded in the baseline {path.name}", None, "baseline",
                              item.get("file"), item.get("line"), resource=item["resource"],
                              attribute=item.get("attribute"), folder=item.get("folder")))
    return waivers
