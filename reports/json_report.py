"""The JSON report: a stable shape for machines."""

from __future__ import annotations

import json

from gateaudit.result import Report


def render(report: Report) -> str:
    document = {
        "tool": report.tool,
        "version": report.version,
        "ruleset_version": report.ruleset_version,
        "paths": list(report.paths),
        "fail_on": report.fail_on.value,
        "exit_code": report.exit_code,
        "summary": report.counts(),
        "controls": [
            {"id": c.id, "title": c.title, "counts": c.counts, "nothing_in_scope": c.nothing_in_scope}
            for c in report.controls
        ],
        "results": [
            {
                "rule_id": r.rule_id,
                "control": r.control,
                "status": r.status.value,
                "severity": r.severity.value,
                "resource": r.resource,
                "attribute": r.attribute,
                "file": r.file,
                "line": r.line,
                "message": r.message,
                "remediation": report.remediation.get(r.rule_id),
            }
            for r in report.results
        ],
        "errors": [{"file": e.file, "line": e.line, "message": e.message} for e in report.errors],
        "not_scanned": list(report.not_scanned),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
