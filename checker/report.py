"""`gateaudit.report`: a scan's results and errors made into the `Report` every renderer formats.

It adds what a reader needs beside the verdict: the scan's metadata (tool and ruleset versions, when, the
settings that decided the gate, the git commit and whether the work tree was modified, the files read and
their digests), each rule's metadata, a summary per control, the gate's decision (`gateaudit.gate.decide`),
and the source lines around each finding with secrets masked (`gateaudit.masking.mask_report`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path

from . import gate, masking
from .git import work_tree
from .result import (
    ControlSummary,
    Judgement,
    Report,
    Result,
    RuleFailure,
    RuleInfo,
    ScanError,
    ScanMetadata,
    ScanWarning,
    Severity,
    Status,
    UnknownMode,
)


def assemble(metadata: ScanMetadata, rules: Iterable[RuleInfo], results: list[Result], errors: list[ScanError],
             judgement: Judgement, controls: list[ControlSummary], stale_baseline: tuple[dict, ...],
             warnings: Iterable[ScanWarning]) -> Report:
    """The report, its gate decided, its source lines shown with secrets masked."""
    return masking.mask_report(Report(
        metadata=metadata, rules=tuple(rules), results=tuple(results), errors=tuple(errors),
        not_scanned=judgement.not_scanned, controls=tuple(controls),
        gate=gate.decide(results, errors, metadata),
        stale_baseline=stale_baseline, skipped=judgement.skipped,
        warnings=tuple(sorted(set(warnings), key=ScanWarning.sort_key)),
    ), judgement)


def control_summaries(results: list[Result], rules, controls, errors: Iterable[ScanError] = ()) -> list[ControlSummary]:
    """Per control (the four known ones first, then any a user rule names): its results by status, the rules of it
    that raised (never "not applicable" then), or why it judged nothing."""
    failures = [error for error in errors if isinstance(error, RuleFailure)]
    summaries = []
    for control_id in list(controls) + sorted({r.rule.control for r in rules} - set(controls)):
        counts = {status.value: 0 for status in Status}
        for result in results:
            if result.control == control_id:
                counts[result.status.value] += 1
        known = controls.get(control_id)
        not_judged = tuple(dict.fromkeys(f.not_judged() for f in failures if f.control == control_id))
        empty = None
        if not any(counts.values()) and not not_judged:
            empty = known.nothing_in_scope if known else "nothing in scope"
        summaries.append(ControlSummary(control_id, known.title if known else control_id, counts, empty, not_judged))
    return summaries


def rule_info(loaded, severity: dict[str, Severity]) -> RuleInfo:
    """A rule's metadata (loaded or listed) as reports show it, with the severity the config gives it."""
    rule = loaded.rule
    return RuleInfo(id=rule.id, control=rule.control, severity=severity.get(rule.id, rule.severity), title=rule.title,
                    rationale=rule.rationale, remediation=rule.remediation, mappings=dict(rule.mappings),
                    help=loaded.help, origin=loaded.origin)


def metadata(paths: list[Path], display_paths: list[str], judgement: Judgement, fail_on: Severity,
             unknown: UnknownMode, inline: bool, fail_on_suppressions: bool, fail_on_exemptions: bool,
             config_path: str | None, baseline: Path | None, today: date) -> ScanMetadata:
    from gateaudit import __version__
    from gateaudit.rules import RULESET_VERSION

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    first = paths[0] if paths else Path(".")
    base = first if first.is_dir() else first.parent
    if len(paths) > 1:
        base = Path(".")
    tree = work_tree(base if base.exists() else Path("."), paths)
    uri_base = ""
    if base.exists():
        relative = os.path.relpath(base.resolve(), tree.top if tree else Path.cwd().resolve()).replace(os.sep, "/")
        uri_base = "" if relative == "." else relative + "/"
    return ScanMetadata(tool="gateaudit", version=__version__, ruleset_version=RULESET_VERSION,
                        generated_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"), paths=tuple(display_paths),
                        var_files=tuple(judgement.var_files), fail_on=fail_on, git_commit=tree.commit if tree else None,
                        git_branch=tree.branch if tree else None, git_modified=tree.modified if tree else None,
                        uri_base=uri_base, unknown=unknown, inline_suppressions=inline,
                        fail_on_suppressions=fail_on_suppressions, fail_on_exemptions=fail_on_exemptions,
                        config_file=_shown(config_path), baseline_file=_shown(baseline),
                        today=today.isoformat(), files=tuple(sorted(judgement.digests.items())))


def _shown(path: str | Path | None) -> str | None:
    if path is None:
        return None
    relative = os.path.relpath(path)
    return (str(path) if relative.startswith("..") else relative).replace(os.sep, "/")
