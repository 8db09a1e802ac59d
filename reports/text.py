"""The terminal report: failures first within each control, each with where, what and how to fix."""

from __future__ import annotations

from gateaudit.result import Report, Status

_MARK = {Status.FAILED: "FAIL", Status.UNKNOWN: "UNKNOWN", Status.PASSED: "pass", Status.SUPPRESSED: "suppressed"}
_ORDER = {Status.FAILED: 0, Status.UNKNOWN: 1, Status.SUPPRESSED: 2, Status.PASSED: 3}


def _clean(text: str) -> str:
    """Input-derived text never reaches the terminal as control sequences."""
    return "".join(c if c.isprintable() or c == " " else f"\\x{ord(c):02x}" for c in text)


def render(report: Report, verbose: bool = False) -> str:
    meta = report.metadata
    remediation = {rule.id: rule.remediation for rule in report.rules}
    lines: list[str] = [f"gateaudit {meta.version} (rules {meta.ruleset_version}) scanned "
                        f"{_clean(', '.join(meta.paths))}", ""]
    for control in report.controls:
        results = sorted((r for r in report.results if r.control == control.id),
                         key=lambda r: (_ORDER[r.status], r.sort_key()))
        lines.append(f"{control.id}: {control.title}")
        if control.nothing_in_scope:
            lines.append(f"  NOT APPLICABLE: {control.nothing_in_scope}; nothing was judged")
        for result in results:
            if result.status == Status.PASSED and not verbose:
                continue
            where = f"{result.file}:{result.line}"
            lines.append(f"  {_MARK[result.status]:<7} {result.rule_id} {_clean(result.resource)}  {_clean(where)}")
            lines.append(f"          {_clean(result.message)}")
            if result.suppression is not None:
                where = result.suppression
                place = f" ({_clean(where.file)}:{where.line})" if where.file and where.line else ""
                if where.source == "baseline":  # the entry's file:line is where the finding was, not the waiver
                    place = f" ({_clean(meta.baseline_file or 'baseline')})"
                elif where.source == "config":
                    place = f" ({_clean(meta.config_file or 'config')})"
                until = f" until {where.until}" if where.until else ""
                lines.append(f"          suppressed by {where.source}{place}{until}: {_clean(where.reason)}")
            if result.status in (Status.FAILED, Status.UNKNOWN) and remediation.get(result.rule_id):
                lines.append(f"          fix: {remediation[result.rule_id]}")
        passed = control.counts.get("passed", 0)
        if passed and not verbose:
            lines.append(f"  {passed} passed")
        lines.append("")
    for item in report.skipped:
        lines.append(f"skipped: {_clean(item['path'])}: {_clean(item['reason'])}")
    for item in report.not_scanned:
        lines.append(f"not scanned: {_clean(item['module'])} (source {_clean(item['source'])}) "
                     f"at {_clean(item['file'])}:{item['line']}: {item['reason']}")
    for entry in report.stale_baseline:
        lines.append(f"baseline entry no longer occurs (remove it): {entry['rule_id']} {_clean(entry['resource'])}")
    for error in report.errors:
        lines.append(f"ERROR {_clean(str(error))}")
    counts = report.counts()
    verdict = {0: "PASS", 1: "FAIL", 2: "ERROR (scan incomplete, not a pass)"}[report.exit_code]
    if meta.unknown != "fail" and counts["unknown"]:
        lines.append(f"note: {counts['unknown']} unknown result(s) do not fail the gate (--unknown={meta.unknown})")
    if not meta.inline_suppressions:
        lines.append("note: inline suppressions were not applied (--no-inline-suppressions)")
    lines.append(f"{verdict}: {counts['failed']} failed, {counts['unknown']} unknown, {counts['passed']} passed, "
                 f"{counts['suppressed']} suppressed, {len(report.errors)} errors (fail-on {meta.fail_on.value})")
    return "\n".join(lines) + "\n"
