"""The JSON report: a stable shape for machines."""

from __future__ import annotations

from collections.abc import Iterator
from json.encoder import encode_basestring

from gateaudit.reports._json import dumps, scalar
from gateaudit.result import Report, Result


def render(report: Report) -> str:
    return "".join(chunks(report))


def chunks(report: Report) -> Iterator[str]:
    """The report's text in pieces, the same as `render` joins: results 16 KiB at a time, so that a monorepo's tens
    of thousands of results are written as they are encoded, never held as one document and one string."""
    text = dumps(_document(report))
    if not report.results:
        yield text + "\n"
        return
    # A top-level key: its newline and indentation are the encoder's own (a JSON string holds no raw newline).
    head, tail = text.split(_EMPTY_RESULTS, 1)
    yield head + '\n  "results": ['
    remediations = {rule.id: rule.remediation for rule in reversed(report.rules)}  # the first, as Report.rule
    piece: list[str] = []
    size = 0
    for position, result in enumerate(report.results):
        text = ("," if position else "") + "\n    " + _result(result, remediations)
        piece.append(text)
        size += len(text)
        if size >= _PIECE_CHARS:  # results a piece at a time: a write each, not a write per result
            yield "".join(piece)
            piece, size = [], 0
    yield "".join(piece) + "\n  ],\n" + tail + "\n"


_PIECE_CHARS = 16 * 1024


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


_RESULT_KEYS = ("rule_id", "source", "control", "status", "severity", "resource", "attribute", "file", "line",
                "message", "remediation", "suppression")
# A result's text, a %s for each value: each key as the encoder writes it inside a result (depth 2 of the
# document), its line's start, name and colon.
_RESULT_TEXT = "".join(("{" if position == 0 else ",") + "\n      " + encode_basestring(key) + ": %s"
                       for position, key in enumerate(_RESULT_KEYS)) + "\n    }"


def _result(r: Result, remediations: dict[str, str | None]) -> str:
    """A result as `dumps(dict(zip(_RESULT_KEYS, values)), depth=2)` writes it, without making the dict: a monorepo's
    report has tens of thousands of results."""
    suppression = r.suppression
    written = None if suppression is None else {
        "source": suppression.source, "reason": suppression.reason, "file": suppression.file,
        "line": suppression.line, "until": suppression.until}
    # `_value_`: the member's value, without the descriptor `.value` goes through (twice per result).
    values = (r.rule_id, r.source, r.control, r.status._value_, r.severity._value_, r.resource, r.attribute, r.file,
              r.line, r.message, remediations.get(r.rule_id), written)
    rule_id, source, control, status, severity, resource, attribute, file, line, message, remediation, _ = values
    text = encode_basestring
    try:  # each field as its type says (strings, optional strings, a line number): most results
        return _RESULT_TEXT % (
            text(rule_id), text(source), text(control), text(status), text(severity), text(resource),
            "null" if attribute is None else text(attribute), text(file),
            int.__repr__(line) if line.__class__ is int else _value(line), text(message),
            "null" if remediation is None else text(remediation),
            "null" if written is None else dumps(written, depth=3))
    except TypeError:  # a field of another type: written as the standard encoder writes whatever it holds
        return _RESULT_TEXT % tuple(_value(value) for value in values)


def _value(value: object) -> str:
    return scalar(value) or dumps(value, depth=3)
