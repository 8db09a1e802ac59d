"""What the human-facing reports decide the same way: the verdict, the controls with their results in
reading order, and counts. Renderers format these; they never recount or regroup."""

from __future__ import annotations

from dataclasses import dataclass

from gateaudit.result import ControlSummary, Report, Result, RuleInfo, Severity, Status

# Frameworks in the order every report shows them; a rule's other frameworks follow, sorted by name.
FRAMEWORKS = ("AWS Security Hub FSBP", "NIST SP 800-53 rev 5", "OWASP API Top 10 2023")

# Statuses in the order a reviewer reads them: what blocks first.
STATUS_ORDER = (Status.FAILED, Status.UNKNOWN, Status.SUPPRESSED, Status.PASSED)
# Severities from the worst down.
SEVERITY_ORDER = tuple(sorted(Severity, key=lambda s: s.rank, reverse=True))


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


def verdict(report: Report) -> Verdict:
    counts = report.counts()
    fail_on = report.metadata.fail_on.value
    if report.exit_code == 0:
        below = counts["failed"] + counts["unknown"]
        summary = (f"No failed or undecided result at or above severity {fail_on}; "
                   f"{_plural(counts['passed'], 'result')} passed.")
        if below:
            summary += f" {_plural(below, 'result')} failed or undecided below severity {fail_on} (not blocking)."
        return Verdict("pass", "PASS", summary)
    if report.exit_code == 1:
        blocked = sum(1 for r in report.results if blocking(r, report.metadata.fail_on))
        return Verdict("fail", "FAIL", f"{_plural(counts['failed'], 'result')} failed and {counts['unknown']} "
                                       f"could not be decided; {blocked} of them at or above severity {fail_on} "
                                       f"{'blocks' if blocked == 1 else 'block'} the gate.")
    problems = len(report.errors) or 1
    return Verdict("error", "ERROR (scan incomplete, not a pass)",
                   f"The scan hit {_plural(problems, 'error')}: part of the configuration was not judged, "
                   "so these results cannot be trusted as complete.")


def blocking(result: Result, fail_on: Severity) -> bool:
    """A failed or unknown result at or above fail-on: the gate blocks on it."""
    return result.status in (Status.FAILED, Status.UNKNOWN) and result.severity.rank >= fail_on.rank


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
    elif counts["unknown"]:
        state = "unknown"
    elif summary.nothing_in_scope or not results:
        state = "not_applicable"
    else:
        state = "passed"
    return ControlView(
        id=summary.id, title=summary.title, state=state,
        nothing_in_scope=summary.nothing_in_scope or (None if results else "nothing in scope"),
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
