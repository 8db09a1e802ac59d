"""The HTML report: one self-contained page for a reviewer to read on screen or print to PDF.

No network: CSS and the SVG charts are inline, there is no script, and a Content-Security-Policy forbids
loading anything. Everything from the scanned files goes through Jinja2's autoescape; that includes the
reasons of suppressions, which are written in comments of the scanned files. The source lines shown around a
finding come from the report with every secret already masked (`checker/masking.py`), before any escaping.

A suppressed result keeps its place under its control, with a SUPPRESSED badge, the reason, and where the
suppression was written (the comment's file and line, the config file, or the baseline file). Baseline
entries that no longer occur, and gate settings that are not the default, are shown too.
"""

from __future__ import annotations

from dataclasses import dataclass

from jinja2 import Environment, PackageLoader, StrictUndefined

from gateaudit.result import ExitCode, Report, Result, RuleInfo

from . import _view

_ENVIRONMENT = Environment(loader=PackageLoader("gateaudit.reports", "templates"), autoescape=True,
                           undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

STATUS_LABEL = {"failed": "FAIL", "unknown": "UNKNOWN", "suppressed": "SUPPRESSED", "passed": "PASS",
                "not_applicable": "NOT APPLICABLE"}
EXIT_MEANING = {ExitCode.PASS: "pass", ExitCode.FAIL: "failed or undecided results at or above fail-on",
                ExitCode.ERROR: "scan incomplete"}

# Chart geometry, in SVG user units.
_LABEL_WIDTH, _BAR_WIDTH, _ROW_HEIGHT, _BAR_HEIGHT, _TOP = 160, 290, 30, 18, 8
_MIN_LABELLED = 22  # a segment narrower than this carries no number inside


@dataclass(frozen=True)
class Segment:
    status: str
    count: int
    x: str
    width: str
    label_x: str  # centre of the segment, where its number goes ("" when too narrow for one)


@dataclass(frozen=True)
class Bar:
    label: str
    y: int
    text_y: int
    total: int
    segments: tuple[Segment, ...]
    note: str  # shown instead of a bar ("not applicable")


@dataclass(frozen=True)
class Chart:
    title: str
    width: int
    height: int
    bar_x: int
    end_x: int
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Finding:
    anchor: str
    result: Result
    rule: RuleInfo | None
    not_blocking: str | None  # why it does not block the gate; None when it does
    snippet: tuple[tuple[int, str, bool], ...]  # (line number, text, is the result's line)


@dataclass(frozen=True)
class Suppressed:
    result: Result
    suppression: _view.SuppressionView


def render(report: Report) -> str:
    controls = _view.controls(report)
    findings: dict[str, tuple[Finding, ...]] = {}  # control id -> its failed and unknown results, numbered
    number = 0
    for control in controls:
        numbered = []
        for result in control.findings:
            number += 1
            numbered.append(_finding(report, result, f"finding-{number}"))
        findings[control.id] = tuple(numbered)
    suppressed = {control.id: tuple(Suppressed(r, _view.suppression_view(report, r)) for r in control.suppressed)
                  for control in controls}
    control_bars = [(c.id, c.counts, "not applicable" if c.state == "not_applicable" else "") for c in controls]
    severity_bars = [(severity.value, counts, "") for severity, counts in _view.severity_counts(report)]
    meta = report.metadata
    return _ENVIRONMENT.get_template("html.html.j2").render(
        report=report,
        meta=meta,
        verdict=_view.verdict(report),
        counts=report.counts(),
        controls=controls,
        findings=findings,
        suppressed=suppressed,
        settings=_view.gate_settings(meta),
        stale=_view.stale_baseline(report),
        not_applicable=sum(1 for c in controls if c.state == "not_applicable"),
        charts=(_chart("Results per control", control_bars), _chart("Results per severity", severity_bars)),
        chart_statuses=[s.value for s in _view.STATUS_ORDER],
        frameworks=_view.FRAMEWORKS,
        status_label=STATUS_LABEL,
        exit_meaning=EXIT_MEANING.get(report.exit_code, "scan incomplete"),
        work_tree=_view.work_tree(meta),
    )


def _finding(report: Report, result: Result, anchor: str) -> Finding:
    lines = tuple((number, text, number == result.line) for number, text in report.snippet(result))
    return Finding(anchor, result, report.rule(result.rule_id), _view.not_blocking(result, report.metadata), lines)


def _chart(title: str, rows: list[tuple[str, dict[str, int], str]]) -> Chart:
    scale = max([sum(counts.values()) for _, counts, _ in rows] + [1])
    bars = []
    for index, (label, counts, note) in enumerate(rows):
        y = _TOP + index * _ROW_HEIGHT
        x = float(_LABEL_WIDTH)
        segments = []
        for status in (s.value for s in _view.STATUS_ORDER):
            count = counts.get(status, 0)
            if not count:
                continue
            width = _BAR_WIDTH * count / scale
            segments.append(Segment(status, count, f"{x:.1f}", f"{width:.1f}",
                                    f"{x + width / 2:.1f}" if width >= _MIN_LABELLED else ""))
            x += width
        bars.append(Bar(label, y, y + _BAR_HEIGHT // 2 + 5, sum(counts.values()), tuple(segments), note))
    return Chart(title, _LABEL_WIDTH + _BAR_WIDTH + 44, _TOP * 2 + len(rows) * _ROW_HEIGHT, _LABEL_WIDTH,
                 _LABEL_WIDTH + _BAR_WIDTH + 8, tuple(bars))

