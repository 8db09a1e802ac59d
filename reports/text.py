"""The terminal report: failures first within each control, each with where, what and how to fix."""

from __future__ import annotations

import re

from gateaudit.result import Report, Status, UnknownMode

_MARK = {Status.FAILED: "FAIL", Status.UNKNOWN: "UNKNOWN", Status.PASSED: "pass", Status.SUPPRESSED: "suppressed"}
_ORDER = {Status.FAILED: 0, Status.UNKNOWN: 1, Status.SUPPRESSED: 2, Status.PASSED: 3}


# A workflow command that CI runners act on anywhere in a line: GitHub's legacy `##[error]`, Azure Pipelines'
# `##vso[...]`, TeamCity's `##teamcity[...]`.
LEGACY_COMMAND = re.compile(r"(##\w*)\[")


def terminal_line(text: str) -> str:
    """One line as a terminal or a CI log may show it: nothing in it acts on the terminal or the runner.

    Every character that is not printable shows as an escape (`\\x1b`, `\\x0a`, `\\u202e`): control characters and
    ESC, tab, CR and line feed, NEL (U+0085) and the line and paragraph separators, bidi overrides. So text from
    a scanned file can neither start a line of its own, nor move the cursor, nor show in another order than it is.
    Two more escapes keep a CI runner from taking the line for a command: the `[` of `##name[` (anywhere in a line),
    and the first `:` of a line that starts with `::` after spaces (GitHub's runner trims them before matching).
    Escaping an escaped line changes nothing.
    """
    if not text.isprintable():
        text = "".join(char if char.isprintable() else _visible(char) for char in text)
    text = LEGACY_COMMAND.sub(r"\1\\x5b", text)
    if text.lstrip(" ").startswith("::"):
        cut = text.index("::")
        text = f"{text[:cut]}\\x3a{text[cut + 1:]}"
    return text


def _visible(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def render(report: Report, verbose: bool = False) -> str:
    # Here, not at the top: every scan prints `verdict_line`, and only a text report needs the views' classes.
    from gateaudit.reports._view import work_tree

    meta = report.metadata
    remediation = {rule.id: rule.remediation for rule in report.rules}
    commit = ""
    if meta.git_commit:
        commit = f" at commit {meta.git_commit[:12]}" + ("" if meta.git_modified is False else f" ({work_tree(meta)})")
    lines: list[str] = [f"gateaudit {meta.version} (rules {meta.ruleset_version}) scanned "
                        f"{', '.join(meta.paths)}{commit}", ""]
    for control in report.controls:
        results = sorted((r for r in report.results if r.control == control.id),
                         key=lambda r: (_ORDER[r.status], r.sort_key()))
        lines.append(f"{control.id}: {control.title}")
        if control.nothing_in_scope:
            lines.append(f"  NOT APPLICABLE: {control.nothing_in_scope}; nothing was judged")
        lines.extend(f"  not judged: {line}" for line in control.not_judged)
        for result in results:
            if result.status == Status.PASSED and not verbose:
                continue
            where = f"{result.file}:{result.line}"
            lines.append(f"  {_MARK[result.status]:<7} {result.rule_id} {result.resource}  {where}")
            lines.append(f"          {result.message}")
            if result.suppression is not None:
                where = result.suppression
                place = f" ({where.file}:{where.line})" if where.file and where.line else ""
                if where.source == "baseline":  # the entry's file:line is where the finding was, not the suppression
                    place = f" ({meta.baseline_file or 'baseline'})"
                elif where.source == "config":
                    place = f" ({meta.config_file or 'config'})"
                until = f" until {where.until}" if where.until else ""
                lines.append(f"          suppressed by {where.source}{place}{until}: {where.reason}")
            if result.status in (Status.FAILED, Status.UNKNOWN) and remediation.get(result.rule_id):
                lines.append(f"          fix: {remediation[result.rule_id]}")
        passed = control.counts.get("passed", 0)
        if passed and not verbose:
            lines.append(f"  {passed} passed")
        lines.append("")
    for item in report.skipped:
        lines.append(f"skipped: {item['path']}: {item['reason']}")
    for item in report.not_scanned:
        lines.append(f"not scanned: {item['module']} (source {item['source']}) "
                     f"at {item['file']}:{item['line']}: {item['reason']}")
    for entry in report.stale_baseline:
        lines.append(f"baseline entry no longer occurs (remove it): {entry['rule_id']} {entry['resource']}")
    for warning in report.warnings:
        lines.append(f"WARNING {warning}")
    for error in report.errors:
        lines.append(f"ERROR {error}")
    counts = report.counts()
    if meta.unknown != UnknownMode.FAIL and counts["unknown"]:
        lines.append(f"note: {counts['unknown']} unknown result(s) do not fail the gate (--unknown={meta.unknown})")
    if not meta.inline_suppressions:
        lines.append("note: inline suppressions were not applied (--no-inline-suppressions)")
    lines.append(verdict_line(report))
    return "".join(f"{terminal_line(line)}\n" for line in lines)


def verdict_line(report: Report) -> str:
    """`FAIL: 1 failed at or above fail-on high (1 failed, 0 unknown, ...)`: the gate's verdict, why, and the counts.

    The text report's last line, and what the terminal shows when the reports go to files.
    """
    counts = report.counts()
    errors = len(report.errors)
    return (f"{report.gate.label}: {'; '.join(report.gate.reasons)} ({counts['failed']} failed, {counts['unknown']} "
            f"unknown, {counts['passed']} passed, {counts['suppressed']} suppressed, {errors} error"
            f"{'' if errors == 1 else 's'})")
