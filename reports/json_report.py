"""The JSON report: a stable shape for machines."""

from __future__ import annotations

from collections.abc import Iterator

from gateaudit.reports._json import dumps
from gateaudit.result import Report, Result


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The report's text in pieces, the same as `render` joins: a result at a time, so that a monorepo's tens of
    thousands of results are written as they are encoded, never held as one document and one string."""
    text = dumps(_document(report))
    if not report.results:
        yield text + "\n"
        return
    # A top-level key: its newline and indentation are the encoder's own (a JSON string holds no raw newline).
    head, tail = text.split(_EMPTY_RESULTS, 1)
    yield head + '\n  "results": ['
    for position, result in enumerate(report.results):
        yield ("," if position else "") + "\n    " + dumps(_result(report, result), depth=2)
    yield "\n  ],\n" + tail + "\n"


_EMPTY_RESULTS = '\n  "results": [],\n'


def _document(report: Report) -> dict:
    """The report as a JSON document, its results left empty (`chunks` writes them one by one)."""
    meta = report.metadata
    return {
        "tool": meta.tool,
        "version": meta.version,
        "ruleset_version": meta.ruleset_version,
        "generated_at": meta.generated_at,
        "paths": list(meta.paths),
        "var_files": list(meta.var_files),
        "git": {"commit": meta.git_commit, "branch": meta.git_branch, "modified": meta.git_modified}
        if meta.git_commit else None,
        "files": [{"path": path, "sha256": digest} for path, digest in meta.files],
        "fail_on": meta.fail_on.value,
        "settings": {"unknown": meta.unknown, "inline_suppressions": meta.inline_suppressions,
                     "fail_on_suppressions": meta.fail_on_suppressions,
                     "fail_on_exemptions": meta.fail_on_exemptions, "config_file": meta.config_file,
                     "baseline_file": meta.baseline_file, "today": meta.today},
        "exit_code": report.exit_code,
        "gate": {"verdict": report.gate.label, "reasons": list(report.gate.reasons)},
        "summary": report.counts(),
        "controls": [
            {"id": c.id, "title": c.title, "counts": c.counts, "nothing_in_scope": c.nothing_in_scope,
             "not_judged": list(c.not_judged)}
            for c in report.controls
        ],
        "results": [],
        "errors": [{"file": e.file, "line": e.line, "message": e.message} for e in report.errors],
        "warnings": [{"file": w.file, "line": w.line, "message": w.message} for w in report.warnings],
        "not_scanned": list(report.not_scanned),
        "skipped": list(report.skipped),
        "stale_baseline": list(report.stale_baseline),
        "rules": [
            {"id": rule.id, "control": rule.control, "severity": rule.severity.value, "title": rule.title,
             "rationale": rule.rationale, "remediation": rule.remediation,
             "mappings": {framework: list(ids) for framework, ids in rule.mappings.items()}}
            for rule in report.rules
        ],
    }


def _result(report: Report, r: Result) -> dict:
    return {
        "rule_id": r.rule_id,
        "source": r.source,
        "control": r.control,
        "status": r.status.value,
        "severity": r.severity.value,
        "resource": r.resource,
        "attribute": r.attribute,
        "file": r.file,
        "line": r.line,
        "message": r.message,
        "remediation": _remediation(report, r.rule_id),
        "suppression": None if r.suppression is None else {
            "source": r.suppression.source, "reason": r.suppression.reason, "file": r.suppression.file,
            "line": r.suppression.line, "until": r.suppression.until},
    }


def _remediation(report: Report, rule_id: str) -> str | None:
    rule = report.rule(rule_id)
    return rule.remediation if rule else None
