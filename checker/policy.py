"""`gateaudit.policy`: what the team decided about the rules' results, applied after the rules ran.

- severities: the config's `[severity]` table ranks a rule's results as this team does;
- suppressions: the accepted risks (`gateaudit.suppressions.Suppression`) from inline comments, the config's
  exemptions, a baseline and command-line options; a result one of them matches is reported as suppressed,
  with its reason, unless it expired;
- what no longer applies: baseline entries that match nothing (the file can shrink), inline suppressions
  and exemptions that match nothing (warnings: remove them before they accept the next finding).

The judgement (`result.Judgement`) is made without any of this, so it can be kept and reused.
"""

from __future__ import annotations

import dataclasses
import glob
from dataclasses import dataclass
from datetime import date

from .result import Judgement, Result, ScanWarning, Severity
from .suppressions import MARKER, Suppression, is_checkov_id
from .suppressions import apply as apply_suppressions


@dataclass(frozen=True)
class Applied:
    results: list[Result]  # with suppressions applied
    stale_baseline: tuple[dict, ...]  # baseline entries that matched nothing
    warnings: list[ScanWarning]  # inline suppressions and exemptions that matched nothing


def with_severities(results: list[Result], severity: dict[str, Severity]) -> list[Result]:
    """Results with the severity the config gives their rule."""
    return [dataclasses.replace(r, severity=severity[r.rule_id]) if r.rule_id in severity else r for r in results]


def apply(results: list[Result], judgement: Judgement, inline: dict[str, list[Suppression]],
          suppressions: list[Suppression], exemptions: list[Suppression], today: date,
          checkov_ran: bool) -> Applied:
    """Suppressions applied to `results`; `suppressions` are every one not inline (exemptions among them)."""
    applied, used = apply_suppressions(results, judgement, inline, suppressions, today)
    stale = tuple({"rule_id": s.rule_id, "resource": s.resource, "attribute": s.attribute, "file": s.file,
                   "line": s.line} for s in suppressions if s.source == "baseline" and s not in used)
    warnings = _unused([s for found in inline.values() for s in found], used, checkov_ran)
    warnings += _unused(exemptions, used, checkov_ran)
    return Applied(applied, stale, warnings)


def unscanned_allowed() -> list[Suppression]:
    """`--allow-unscanned-modules`: the gaps of module calls not read (GA100...GA400) are suppressed."""
    from gateaudit.rules._unscanned import ALLOWED, RULE_IDS

    return [Suppression(rule_id, ALLOWED, None, "command-line", None, None) for rule_id in RULE_IDS]


def skipped_modules(judgement: Judgement) -> list[Suppression]:
    """A module call whose folder --skip-path names was left unread on purpose, on the command line: its gap
    (GA100...GA400) is shown as suppressed, like --allow-unscanned-modules for that call alone."""
    from gateaudit.rules._unscanned import RULE_IDS

    from .discover import SKIPPED_BY

    return [Suppression(rule_id, f"its folder is {item['reason']}: not read, on purpose", None, "command-line",
                        None, None, resource=glob.escape(item["module"]))
            for item in judgement.not_scanned if item["reason"].startswith(SKIPPED_BY) for rule_id in RULE_IDS]


def _unused(suppressions: list[Suppression], used: set[Suppression], checkov_ran: bool) -> list[ScanWarning]:
    """An inline suppression or exemption that accepts nothing: once its finding is fixed it would silently accept
    the next one, so it is named for removal. One naming a Checkov check is judged only when Checkov ran."""
    entries: dict[tuple, list[Suppression]] = {}
    for suppression in suppressions:
        if suppression.rule_id and is_checkov_id(suppression.rule_id) and not checkov_ran:
            continue
        entries.setdefault((suppression.source, suppression.file, suppression.line, suppression.entry),
                           []).append(suppression)
    warnings = []
    for (source, file, line, entry), group in entries.items():
        if any(suppression in used for suppression in group):
            continue
        if source == "config":
            rules = [s.rule_id for s in group if s.rule_id]
            scope = f", rules {', '.join(rules)}" if rules else ""
            warnings.append(ScanWarning(None, None, f'{file}: exemption #{entry} (resources = "{group[0].resource}"'
                                                    f"{scope}) matches no failed or unknown result: remove it"))
        else:
            for suppression in group:
                warnings.append(ScanWarning(file, line, f"{MARKER} {suppression.rule_id} suppresses no failed or "
                                                        "unknown result: remove it"))
    return warnings
