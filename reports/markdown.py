"""The Markdown report: a pull-request comment. Verdict first, a table per control, scan errors and modules not
scanned in plain sight; it fits GitHub's comment limit by summarising, and says what it left out.

Python decides what is shown (reports/_view.py for verdict and grouping, this module for the size budget); the
template reports/templates/report.md.j2 only formats. Autoescape is off (it is HTML's), so every value from the
report goes through the `md` or `code` filter: nothing from a scanned file can open a link, an image, an HTML
tag, emphasis, a table cell or a mention. That holds for the reasons of suppressions too: they are written in
comments of the scanned files.

Suppressed results have a part of their own ("Suppressed"), each with its reason, where it was written (the
comment's file and line, the config file or the baseline file) and its `until`; baseline entries that no longer
occur have another; gate settings that are not the default are named under the summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

import jinja2

from gateaudit.reports._view import (
    ControlView,
    controls,
    gate_settings,
    not_blocking,
    stale_baseline,
    suppressed,
    suppression_view,
    verdict,
    work_tree,
)
from gateaudit.result import Report, Result, Status, UnknownMode

COMMENT_LIMIT = 65_536  # GitHub's limit for a comment body, in characters
# What we allow ourselves, counted in UTF-8 bytes (never fewer than characters): the rest is left for a marker
# or heading a CI step may add around the report (e.g. the hidden tag of a sticky comment).
BUDGET = COMMENT_LIMIT - 1_536
CELL_LIMIT = 1_000  # characters of one message or fix before it is cut

_ICON = {"failed": "❌", "unknown": "❓", "passed": "✅", "not_applicable": "➖"}
_STATUS = {Status.FAILED: "❌ failed", Status.UNKNOWN: "❓ unknown (blocks)", Status.SUPPRESSED: "🔕 suppressed",
           Status.PASSED: "✅ passed"}
_SOURCE_ICON = {"inline": "💬", "config": "⚙️", "baseline": "📋", "command-line": "⌨️"}
_VERDICT = {"pass": "✅ gateaudit: pass", "fail": "❌ gateaudit: fail",
            "error": "⚠️ gateaudit: error — scan incomplete, not a pass"}

# ASCII punctuation that Markdown (CommonMark, GFM, GitHub's extensions) gives a meaning to, escaped with a
# backslash: code spans, emphasis, links and images, headings, strikethrough, math, and the `:` `.` `/` `@`
# that autolinks (http://…, www.…, bare domains, e-mail addresses) are recognised by.
_PUNCTUATION = frozenset("\\`*_[]()!#~$:.@/")
# HTML's own characters, and the table-cell separator, as entities: they hold in any context, even after a
# backslash from the input, and never form a tag.
_ENTITY = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "|": "&#124;"}
_WORD_JOINER = "\u2060"  # after @ and before a digit after #: GitHub links mentions and issue refs after rendering
_NEWLINE = re.compile(r"\r\n|\r|\n")
_TRANSLATION = str.maketrans({**_ENTITY, **{char: "\\" + char for char in _PUNCTUATION}})
_MENTION = re.compile(r"\\@|\\#(?=[^\W_])")  # escaped @, escaped # before a letter or digit


def md(value: object, limit: int | None = None) -> str:
    """Text from the report as inline Markdown that renders as exactly that text, on one line (newlines become
    <br>). Characters that are not printable (controls, bidirectional overrides) show as \\x.. or \\u.... escapes."""
    text = str(value)
    if limit is not None and len(text) > limit:
        text = text[:limit] + " … (cut; see the full report)"
    return "<br>".join(_md_line(line) for line in _NEWLINE.split(text))


def _md_line(line: str) -> str:
    if not line.isprintable():
        line = "".join(char if char.isprintable() else _visible(char) for char in line)
    return _MENTION.sub(_join, line.translate(_TRANSLATION))


def _visible(char: str) -> str:
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def _join(match: re.Match) -> str:
    return match.group() + _WORD_JOINER


def code(value: object) -> str:
    """An identifier (address, file:line) in monospace: <code> with escaped Markdown inside, because a backtick
    code span cannot hold a backslash before a pipe inside a table cell."""
    return f"<code>{md(value)}</code>"


@dataclass(frozen=True)
class Row:
    rule: str
    resource: str
    location: str
    status: str
    message: str
    fix: str | None


@dataclass(frozen=True)
class SuppressedRow:
    rule: str
    resource: str
    location: str
    message: str  # what the rule found
    source: str  # "💬 inline comment"
    where: str | None  # where the suppression was written
    until: str | None
    reason: str


@dataclass(frozen=True)
class Table:
    rows: tuple
    hidden: int  # rows left out to fit the limit
    noun: str  # what the hidden rows are: "failures", "errors", ...


@dataclass(frozen=True)
class Section:
    icon: str
    id: str
    title: str
    state: str
    counts: dict[str, int]
    not_applicable: str | None
    not_judged: tuple[str, ...]  # rules of this control that raised
    findings: Table  # failed, then unknown
    passed: Table | None  # None: left out to fit, only the count is shown


@dataclass(frozen=True)
class _Plan:
    passes: bool  # list the passed results in <details>
    cap: int | None  # most rows per table; None: every row
    sections: bool = True  # False: the verdict and counts alone, for a report too large for anything else


def render(report: Report) -> str:
    """The comment, as detailed as fits BUDGET: every row; then without the list of passed results; then the
    largest number of rows per table that fits; then the verdict and counts alone."""
    sections = [_section(report, view) for view in controls(report)]
    tables = {
        "errors": _table([_error_row(report, e) for e in report.errors], "scan errors"),
        "warnings": _table([_error_row(report, w) for w in report.warnings], "warnings"),
        "not_scanned": _table([_module_row(report, m) for m in report.not_scanned], "modules not scanned"),
        "skipped": _table([(_path(report, item["path"]), item["reason"]) for item in report.skipped],
                          "skipped paths"),
        "suppressed": _table([_suppressed_row(report, r) for r in suppressed(report)], "suppressed results"),
        "stale": _table([(e.rule_id, e.resource, e.attribute, e.recorded_at)
                         for e in stale_baseline(report, lambda file: _path(report, file))], "stale baseline entries"),
    }

    def attempt(plan: _Plan) -> str:
        return _render(report, plan, sections, tables)

    for plan in (_Plan(passes=True, cap=None), _Plan(passes=False, cap=None)):
        text = attempt(plan)
        if _size(text) <= BUDGET:
            return text
    low, high = 0, max(len(table.rows) for table in (*tables.values(), *(s.findings for s in sections)))
    best = None
    while low <= high:  # cap 0 still shows every control with its counts, and every "… and N more" line
        middle = (low + high) // 2
        candidate = attempt(_Plan(passes=False, cap=middle))
        if _size(candidate) <= BUDGET:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best if best is not None else attempt(_Plan(passes=False, cap=0, sections=False))


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def _render(report: Report, plan: _Plan, sections: list[Section], tables: dict[str, Table]) -> str:
    outcome = verdict(report)
    counts = report.counts()
    shown = [replace(section, findings=_cap(section.findings, plan.cap),
                     passed=section.passed if plan.passes else None)
             for section in sections] if plan.sections else []
    tables = {name: _cap(table, plan.cap) for name, table in tables.items()}
    left_out = []
    if not plan.sections:
        left_out.append("the per-control tables (the report is too large to summarise here)")
    elif not plan.passes and counts["passed"]:
        left_out.append(f"the list of {counts['passed']} passed results (each control shows how many)")
    hidden = sum(section.findings.hidden for section in shown)
    left_out += [f"{number} {noun}" for number, noun in (
        (hidden, "failed or unknown results"), *((table.hidden, table.noun) for table in tables.values())) if number]
    return _template().render(
        verdict_line=_verdict_line(outcome.key, counts, len(report.errors), len(report.not_scanned)),
        summary=outcome.summary, meta=report.metadata, sections=shown, errors=tables["errors"],
        not_scanned=tables["not_scanned"], skipped=tables["skipped"], suppressed=tables["suppressed"],
        stale=tables["stale"], warnings=tables["warnings"],
        settings=[setting for setting in gate_settings(report.metadata) if setting.changed],
        left_out=left_out, limit=f"{COMMENT_LIMIT:,}", work_tree=work_tree(report.metadata))


def _verdict_line(key: str, counts: dict[str, int], errors: int, not_scanned: int) -> str:
    parts = [f"{counts['failed']} failed", f"{counts['unknown']} unknown", f"{counts['passed']} passed",
             f"{counts['suppressed']} suppressed"]
    error_part = f"{errors} error{'' if errors == 1 else 's'}"
    parts = [error_part, *parts] if errors else [*parts, error_part]
    if not_scanned:
        parts.append(f"{not_scanned} module{'' if not_scanned == 1 else 's'} not scanned")
    return f"{_VERDICT[key]} · {', '.join(parts)}"


def _section(report: Report, view: ControlView) -> Section:
    noun = "failures" if all(r.status == Status.FAILED for r in view.findings) else "failed or unknown results"
    return Section(icon=_ICON[view.state], id=view.id, title=view.title, state=view.state, counts=view.counts,
                   not_applicable=view.nothing_in_scope if view.state == "not_applicable" else None,
                   not_judged=view.not_judged,
                   findings=_table([_row(report, r) for r in view.findings], noun),
                   passed=_table([_row(report, r) for r in view.passed], "passed results"))


def _table(rows: list, noun: str) -> Table:
    return Table(tuple(rows), 0, noun)


def _cap(table: Table, cap: int | None) -> Table:
    if cap is None or len(table.rows) <= cap:
        return table
    return Table(table.rows[:cap], table.hidden + len(table.rows) - cap, table.noun)


def _path(report: Report, file: str) -> str:
    base = report.metadata.uri_base
    return file if not base or base.startswith("../") else f"{base}{file}"


def _row(report: Report, result: Result) -> Row:
    rule = report.rule(result.rule_id)
    fix = rule.remediation if rule and result.status in (Status.FAILED, Status.UNKNOWN) else None
    message = result.message
    if result.status == Status.SUPPRESSED:
        message = f"suppressed: {message}"
    status = _STATUS[result.status]
    why = not_blocking(result, report.metadata)
    if why and result.status == Status.UNKNOWN and report.metadata.unknown != UnknownMode.FAIL:
        status = f"❓ unknown (not blocking: unknown = {report.metadata.unknown})"
    elif why:
        status = f"{status} (below fail-on: not blocking)"
    return Row(rule=result.rule_id, resource=result.resource, location=f"{_path(report, result.file)}:{result.line}",
               status=status, message=message, fix=fix)


def _suppressed_row(report: Report, result: Result) -> SuppressedRow:
    accepted = suppression_view(report, result, lambda file: _path(report, file))
    return SuppressedRow(rule=result.rule_id, resource=result.resource,
                         location=f"{_path(report, result.file)}:{result.line}", message=result.message,
                         source=f"{_SOURCE_ICON.get(accepted.source, '🔕')} {accepted.label}", where=accepted.where,
                         until=accepted.until, reason=accepted.reason)


def _error_row(report: Report, error) -> tuple[str, str]:
    if error.file is None:
        return ("(scan)", error.message)
    where = _path(report, error.file) if error.line is None else f"{_path(report, error.file)}:{error.line}"
    return (where, error.message)


def _module_row(report: Report, module: dict) -> tuple[str, str, str, str]:
    return (module["module"], module["source"], f"{_path(report, module['file'])}:{module['line']}",
            module["reason"])


@cache
def _template() -> jinja2.Template:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("gateaudit.reports", "templates"), autoescape=False,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    environment.filters["md"] = md
    environment.filters["code"] = code
    environment.globals["cell_limit"] = CELL_LIMIT
    return environment.get_template("report.md.j2")
