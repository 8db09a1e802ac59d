"""`gateaudit.gate`: whether a scan passes, decided in one place.

`decide` gives the verdict of a whole scan (`result.Gate`: its exit code and the reasons); `blocks`,
`not_blocking` and `rejected` answer the same question for one result, and are what `decide` counts. Reports
ask these functions (and read `Report.gate`); they never work the verdict out again. The settings are the
scan's, as its metadata records them (`result.ScanMetadata`: fail-on, unknown, fail-on-suppressions,
fail-on-exemptions).
"""

from __future__ import annotations

from collections.abc import Iterable

from .result import ExitCode, Gate, Result, ScanError, ScanMetadata, Status, SuppressionRecord, UnknownMode


def blocks(result: Result, meta: ScanMetadata) -> bool:
    """A failed result at or above fail-on, or an unknown one there unless unknown results are let through."""
    gated = (Status.FAILED, Status.UNKNOWN) if meta.unknown == UnknownMode.FAIL else (Status.FAILED,)
    return result.status in gated and at_or_above(result, meta)


def at_or_above(result: Result, meta: ScanMetadata) -> bool:
    """Whether a result's severity reaches fail-on (what a SARIF level shows, for every status)."""
    return result.severity.rank >= meta.fail_on.rank


def not_blocking(result: Result, meta: ScanMetadata) -> str | None:
    """Why a failed or unknown result does not block the gate; None when it blocks (or is not a finding)."""
    if result.status not in (Status.FAILED, Status.UNKNOWN) or blocks(result, meta):
        return None
    if result.status == Status.UNKNOWN and meta.unknown != UnknownMode.FAIL:
        return f"unknown results do not fail the gate (unknown = {meta.unknown})"
    return f"severity {result.severity.value} is below fail-on {meta.fail_on.value}"


def rejected(suppression: SuppressionRecord | None, meta: ScanMetadata) -> bool:
    """Whether a suppression fails the gate by being there: an inline one under fail-on-suppressions, a config
    exemption under fail-on-exemptions."""
    if suppression is None:
        return False
    return (suppression.source == "inline" and meta.fail_on_suppressions) or (
        suppression.source == "config" and meta.fail_on_exemptions)


def decide(results: Iterable[Result], errors: Iterable[ScanError], meta: ScanMetadata) -> Gate:
    """PASS: nothing blocks; FAIL: something does; ERROR: the scan cannot be trusted; and why.

    An unknown result counts as a failure unless `meta.unknown` says otherwise: what cannot be proven secure
    is not waved through by default. With fail-on-suppressions, an inline suppression fails the gate by
    being there, so a change cannot silence the gate that judges it; fail-on-exemptions does the same for
    the config's exemptions. The reasons name what blocks, then what was let through and why (below
    fail-on, unknown = warn), so "PASS" beside a failure is never a puzzle.
    """
    errors = list(errors)
    if errors:
        return Gate(ExitCode.ERROR,
                    (f"{_plural(len(errors), 'scan error')}: part of the configuration was not judged",))
    results = list(results)
    bar = f"fail-on {meta.fail_on.value}"
    findings = [r for r in results if r.status in (Status.FAILED, Status.UNKNOWN)]
    blocking_results = [r for r in findings if blocks(r, meta)]
    let_through_results = [r for r in findings if not blocks(r, meta)]
    strict = meta.unknown == UnknownMode.FAIL
    blocking = []
    if failed := _count(blocking_results, Status.FAILED):
        blocking.append(f"{failed} failed at or above {bar}")
    if undecided := _count(blocking_results, Status.UNKNOWN):
        blocking.append(f"{undecided} unknown at or above {bar} (unknown = fail)")
    for source, noun, setting in (("inline", "inline suppression", "fail-on-suppressions"),
                                  ("config", "config exemption", "fail-on-exemptions")):
        present = sum(1 for r in results if r.suppression and r.suppression.source == source
                      and rejected(r.suppression, meta))
        if present:
            blocking.append(f"{_plural(present, noun)} present ({setting})")
    let_through = []
    if failed := _count(let_through_results, Status.FAILED):
        let_through.append(f"{failed} failed below {bar}")
    if strict and (undecided := _count(let_through_results, Status.UNKNOWN)):
        let_through.append(f"{undecided} unknown below {bar}")
    if not strict and (undecided := _count(let_through_results, Status.UNKNOWN)):
        let_through.append(f"{undecided} unknown not blocking (unknown = {meta.unknown})")
    if blocking:
        return Gate(ExitCode.FAIL, (*blocking, *let_through))
    judged = "failed or unknown" if strict else "failed"
    return Gate(ExitCode.PASS, tuple(let_through) or (f"nothing {judged} at or above {bar}",))


def _count(results: list[Result], status: Status) -> int:
    return sum(1 for r in results if r.status == status)


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
