"""What the human-facing reports decide the same way: the verdict, the controls with their results in
reading order, and counts. Renderers format these; they never recount or regroup."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from gateaudit import gate
from gateaudit.result import (
    ControlSummary,
    ExitCode,
    Report,
    Result,
    RuleInfo,
    ScanMetadata,
    Severity,
    Status,
    UnknownMode,
)

# Frameworks in the order every report shows them; a rule's other frameworks follow, sorted by name.
FRAMEWORKS = ("AWS Security Hub FSBP", "NIST SP 800-53 rev 5", "OWASP API Top 10 2023")

# Statuses in the order a reviewer reads them: what blocks first.
STATUS_ORDER = (Status.FAILED, Status.UNKNOWN, Status.SUPPRESSED, Status.PASSED)
# Severities from the worst down.
SEVERITY_ORDER = tuple(sorted(Severity, key=lambda s: s.rank, reverse=True))
# Where a suppression was written, as a reader names it.
SOURCE_LABEL = {"inline": "inline comment", "config": "config exemption", "baseline": "baseline",
                "command-line": "command-line option"}


@dataclass(frozen=True)
class Verdict:
    key: str  # "pass" | "fail" | "error": for styling
    label: str  # PASS | FAIL | ERROR (scan incomplete, not a pass)
    summary: str  # one sentence saying why


@dataclass(frozen=True)
class RuleView:
    rule: RuleInfo
    counts: dict[str, int]  # status -> results of this rule, keys in STATUS_ORDER
    mappings: tuple[tuple[str, tuple[str, ...]], ...]  # (framework, control ids), frameworks in FRAMEWORKS order


@dataclass(frozen=True)
class ControlView:
    id: str
    title: str
    state: str  # "failed" | "unknown" | "passed" | "not_applicable"
    nothing_in_scope: str | None
    counts: dict[str, int]  # status -> results, keys in STATUS_ORDER
    rules: tuple[RuleView, ...]
    findings: tuple[Result, ...]  # failed, then unknown; worst severity first, then file, line, rule, address
    suppressed: tuple[Result, ...]
    passed: tuple[Result, ...]
    not_judged: tuple[str, ...] = ()  # rules of this control that raised: ControlSummary.not_judged


@dataclass(frozen=True)
class SuppressionView:
    """Who accepted a suppressed result's risk and why: what every report shows beside the result."""

    source: str  # "inline", "config" or "baseline" ("" when the result carries no suppression record)
    label: str  # SOURCE_LABEL's name for it
    reason: str
    where: str | None  # where it was written: the comment's file:line, the config file, the baseline file
    until: str | None  # ISO date after which it no longer applies

    def summary(self) -> str:
        """`inline, main.tf:12, until 2027-03-31`: the parenthesis of `suppressed (...): reason`."""
        return ", ".join(part for part in (self.source or "not recorded", self.where,
                                           f"until {self.until}" if self.until else None) if part)


@dataclass(frozen=True)
class Setting:
    name: str
    value: str
    changed: bool  # not the default: it changes what the gate decides, or what it was compared with


@dataclass(frozen=True)
class StaleEntry:
    rule_id: str
    resource: str
    attribute: str | None
    recorded_at: str | None  # file:line where the failure was when the baseline was written


def verdict(report: Report) -> Verdict:
    """The verdict as the gate decided it (`gateaudit.gate.decide`), its reasons in one sentence."""
    gate = report.gate
    summary = "; ".join(gate.reasons) + "."
    if gate.code == ExitCode.ERROR:
        summary += " These results cannot be trusted as complete."
    suppressed = report.counts()["suppressed"]
    if suppressed:
        summary += f" {_plural(suppressed, 'result')} suppressed, each with its reason."
    return Verdict({ExitCode.PASS: "pass", ExitCode.FAIL: "fail"}.get(gate.code, "error"), gate.label, summary)


def work_tree(meta: ScanMetadata) -> str:
    """Whether the files judged are the commit's: shown beside the commit wherever a report shows it."""
    return {True: "working tree modified", False: "working tree clean"}.get(meta.git_modified,
                                                                          "working tree state unknown")


blocking = gate.blocks  # whether the gate blocks on a result: asked of gateaudit.gate, never worked out here
not_blocking = gate.not_blocking  # why it does not


def suppression_view(report: Report, result: Result, path: Callable[[str], str] = str) -> SuppressionView:
    """The suppression of a suppressed result, with where it was written. `path` shows a scanned file's name
    the way the renderer shows result files (the config and baseline files are shown as the scan named them)."""
    record = result.suppression
    if record is None:  # a rule may report a result as suppressed itself: there is then no record to show
        return SuppressionView("", "not recorded", "no reason recorded", None, None)
    meta = report.metadata
    if record.source == "inline":
        where = (f"{path(record.file)}:{record.line}" if record.line else path(record.file)) if record.file else None
    elif record.source == "config":
        where = meta.config_file or record.file
    elif record.source == "baseline":
        where = meta.baseline_file  # the entry's file and line are where the failure was, not the suppression
    else:
        where = record.file
    return SuppressionView(record.source, SOURCE_LABEL.get(record.source, record.source), record.reason, where,
                           record.until)


def suppressed(report: Report) -> tuple[Result, ...]:
    """Every suppressed result, in file and line order."""
    return tuple(sorted((r for r in report.results if r.status == Status.SUPPRESSED), key=Result.sort_key))


def gate_settings(meta: ScanMetadata) -> tuple[Setting, ...]:
    """How the gate was set for this scan; `changed` marks what is not the default."""
    unknown = {UnknownMode.FAIL: "fail the gate, like failures",
               UnknownMode.WARN: "do not fail the gate; reported as warnings (unknown = warn)",
               UnknownMode.PASS: "do not fail the gate; reported as notes (unknown = pass)"}
    return (
        Setting("Unknown results", unknown.get(meta.unknown, f"unknown = {meta.unknown}"),
                meta.unknown != UnknownMode.FAIL),
        Setting("Inline suppressions", "applied" if meta.inline_suppressions else
                "not applied: gateaudit:ignore comments were ignored (inline suppressions off)",
                not meta.inline_suppressions),
        Setting("Inline suppressions fail the gate",
                "yes: an inline suppression fails the gate by being there (fail-on-suppressions)"
                if meta.fail_on_suppressions else "no", meta.fail_on_suppressions),
        Setting("Config exemptions fail the gate",
                "yes: an applied exemption fails the gate by being there (fail-on-exemptions)"
                if meta.fail_on_exemptions else "no", meta.fail_on_exemptions),
        Setting("Config file", meta.config_file or "none", meta.config_file is not None),
        Setting("Baseline", meta.baseline_file or "none", meta.baseline_file is not None),
    )


def stale_baseline(report: Report, path: Callable[[str], str] = str) -> tuple[StaleEntry, ...]:
    """Baseline entries that no longer occur: the baseline file can shrink by these."""
    entries = []
    for entry in report.stale_baseline:
        file, line = entry.get("file"), entry.get("line")
        where = (f"{path(file)}:{line}" if line else path(file)) if file else None
        entries.append(StaleEntry(entry["rule_id"], entry["resource"], entry.get("attribute"), where))
    return tuple(entries)


def controls(report: Report) -> tuple[ControlView, ...]:
    summaries = list(report.controls)
    known = {c.id for c in summaries}
    for control_id in sorted({r.control for r in report.results} - known):
        summaries.append(ControlSummary(control_id, control_id, {}, None))
    return tuple(_control(report, summary) for summary in summaries)


def severity_counts(report: Report) -> tuple[tuple[Severity, dict[str, int]], ...]:
    """(severity, status -> results), worst severity first."""
    table = {severity: _zero() for severity in SEVERITY_ORDER}
    for result in report.results:
        table[result.severity][result.status.value] += 1
    return tuple(table.items())


def ordered_mappings(rule: RuleInfo) -> tuple[tuple[str, tuple[str, ...]], ...]:
    extra = sorted(set(rule.mappings) - set(FRAMEWORKS))
    return tuple((framework, tuple(rule.mappings.get(framework, ()))) for framework in (*FRAMEWORKS, *extra))


def _control(report: Report, summary: ControlSummary) -> ControlView:
    results = [r for r in report.results if r.control == summary.id]
    counts = _zero()
    for result in results:
        counts[result.status.value] += 1
    rules = tuple(RuleView(rule, _counts(results, rule.id), ordered_mappings(rule))
                  for rule in sorted((r for r in report.rules if r.control == summary.id), key=lambda r: r.id))
    findings = sorted((r for r in results if r.status in (Status.FAILED, Status.UNKNOWN)),
                      key=lambda r: (STATUS_ORDER.index(r.status), -r.severity.rank, r.sort_key()))
    if counts["failed"]:
        state = "failed"
    elif counts["unknown"] or summary.not_judged:  # a rule that raised judged nothing: never a pass
        state = "unknown"
    elif summary.nothing_in_scope or not results:
        state = "not_applicable"
    else:
        state = "passed"
    return ControlView(
        id=summary.id, title=summary.title, state=state,
        nothing_in_scope=summary.nothing_in_scope or (None if results or summary.not_judged else "nothing in scope"),
        not_judged=summary.not_judged,
        counts=counts, rules=rules, findings=tuple(findings),
        suppressed=tuple(sorted((r for r in results if r.status == Status.SUPPRESSED), key=Result.sort_key)),
        passed=tuple(sorted((r for r in results if r.status == Status.PASSED), key=Result.sort_key)),
    )


def _counts(results: list[Result], rule_id: str) -> dict[str, int]:
    counts = _zero()
    for result in results:
        if result.rule_id == rule_id:
            counts[result.status.value] += 1
    return counts


def _zero() -> dict[str, int]:
    return {status.value: 0 for status in STATUS_ORDER}


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
