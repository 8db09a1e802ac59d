"""The JUnit XML report for GitLab and Jenkins: one suite per control, one test case per rule and resource.

failed -> <failure type="GA101">; unknown -> <failure type="unknown"> (it blocks the gate like a failure; <error>
is kept for a broken scan; when `--unknown` lets it through, the failure says so, like one below fail-on);
suppressed -> <skipped message="suppressed (inline, main.tf:12, until 2027-03-31): reason"> with who accepted the
risk and where that was written (the comment's file and line, the config file, the baseline file); with
--fail-on-suppressions an inline suppression is a <failure type="suppression">, as it fails the gate; passed -> a
plain test case. A control with nothing in scope is a suite with one skipped case, so the gap shows. Scan errors
are a suite of <error> cases and modules not scanned a suite of skipped cases: a broken scan never shows green.
Baseline entries that no longer occur are a suite of skipped cases ("remove it"). Each suite's properties name the
gate settings (fail-on, unknown, inline suppressions, config and baseline files), the verdict with the gate's
reasons (`gateaudit.verdict`), and the git commit with whether the work tree was modified.
No source snippet: the lines around a hard-coded secret are the secret, and a CI test report travels further
than the repository.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter

from gateaudit import gate
from gateaudit.reports._view import ControlView, controls, not_blocking, stale_baseline, suppression_view
from gateaudit.result import Report, Result, Status

# Characters XML 1.0 forbids (C0 controls but tab, newline and carriage return; surrogates; U+FFFE/U+FFFF):
# scanned files may hold them, and one of them makes the whole file unreadable.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: object) -> str:
    return _FORBIDDEN.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                          else f"\\u{ord(m.group()):04x}", str(text))


def _element(parent: ET.Element | None, tag: str, text: str | None = None, **attributes: object) -> ET.Element:
    """Every attribute and text goes through _clean; None attributes are left out."""
    cleaned = {name: _clean(value) for name, value in attributes.items() if value is not None}
    element = ET.Element(tag, cleaned) if parent is None else ET.SubElement(parent, tag, cleaned)
    if text is not None:
        element.text = _clean(text)
    return element


def _path(report: Report, file: str) -> str:
    """The file relative to the repository root where the scan knows it (GitLab links `file` that way)."""
    base = report.metadata.uri_base
    return file if not base or base.startswith("../") else f"{base}{file}"


def _where(report: Report, file: str | None, line: int | None) -> str:
    if file is None:
        return "scan"
    return _path(report, file) if line is None else f"{_path(report, file)}:{line}"


def _unique(bases: list[str], details: list[list[str]]) -> list[str]:
    """GitLab keys test cases by classname and name, so a repeated name would hide a result. A name repeated
    within the suite takes details, one more at a time, only as many as it needs: names stay stable across
    line shifts where they can (Jenkins tracks a case's history by its name)."""
    levels = [0] * len(bases)

    def name(index: int) -> str:
        shown = details[index][:levels[index]]
        return f"{bases[index]} ({', '.join(shown)})" if shown else bases[index]

    while True:
        repeated = Counter(name(i) for i in range(len(bases)))
        bump = [i for i in range(len(bases)) if repeated[name(i)] > 1 and levels[i] < len(details[i])]
        if not bump:
            break
        for index in bump:
            levels[index] += 1
    seen: Counter[str] = Counter()
    unique = []
    for index in range(len(bases)):
        seen[name(index)] += 1
        unique.append(name(index) if seen[name(index)] == 1 else f"{name(index)} #{seen[name(index)]}")
    return unique


def _body(report: Report, result: Result) -> str:
    rule = report.rule(result.rule_id)
    where = _where(report, result.file, result.line)
    lines = [f"{result.rule_id} ({result.severity.value}) {rule.title if rule else ''}".rstrip(),
             f"{result.status.value}: {result.resource} at {where}"
             + (f" (attribute {result.attribute})" if result.attribute else ""),
             result.message]
    if result.status == Status.SUPPRESSED:
        lines.append(_accepted(report, result))
    if rule and rule.remediation:
        lines.append(f"fix: {rule.remediation}")
    why = not_blocking(result, report.metadata)
    if why:
        lines.append(f"{why}: reported, but it does not block the gate")
    return "\n".join(lines) + "\n"


def _accepted(report: Report, result: Result) -> str:
    """`suppressed (inline, main.tf:12, until 2027-03-31): reason`."""
    accepted = suppression_view(report, result, lambda file: _path(report, file))
    return f"suppressed ({accepted.summary()}): {accepted.reason}"


def _rejected(report: Report, result: Result) -> bool:
    """A suppression that fails the gate by being there (--fail-on-suppressions, --fail-on-exemptions)."""
    return gate.rejected(result.suppression, report.metadata)


def _suite(root: ET.Element, report: Report, name: str, counts: dict[str, int]) -> ET.Element:
    return _element(root, "testsuite", name=name, tests=counts["tests"], failures=counts["failures"],
                    errors=counts["errors"], skipped=counts["skipped"], time="0",
                    timestamp=report.metadata.generated_at)


def _properties(suite: ET.Element, report: Report, extra: dict[str, str]) -> None:
    meta = report.metadata
    values = {**extra, "gateaudit.version": meta.version, "gateaudit.ruleset_version": meta.ruleset_version,
              "gateaudit.fail_on": meta.fail_on.value, "gateaudit.paths": " ".join(meta.paths),
              "gateaudit.exit_code": str(report.exit_code), "gateaudit.verdict": _verdict(report),
              "gateaudit.unknown": meta.unknown,
              "gateaudit.inline_suppressions": str(meta.inline_suppressions).lower(),
              "gateaudit.fail_on_suppressions": str(meta.fail_on_suppressions).lower(),
              "gateaudit.fail_on_exemptions": str(meta.fail_on_exemptions).lower()}
    if meta.config_file:
        values["gateaudit.config_file"] = meta.config_file
    if meta.baseline_file:
        values["gateaudit.baseline_file"] = meta.baseline_file
    if meta.git_commit:
        values["git.commit"] = meta.git_commit
        values["git.working_tree_modified"] = {True: "true", False: "false"}.get(meta.git_modified, "unknown")
    if meta.git_branch:
        values["git.branch"] = meta.git_branch
    for item in report.skipped:  # what the scan left out on purpose, on every suite a CI shows
        values[f"gateaudit.skipped.{_path(report, item['path'])}"] = item["reason"]
    properties = _element(suite, "properties")
    for key, value in values.items():
        _element(properties, "property", name=key, value=value)


def _verdict(report: Report) -> str:
    return f"{report.gate.label}: {'; '.join(report.gate.reasons)}"


def _control_suite(root: ET.Element, report: Report, control: ControlView) -> None:
    classname = f"gateaudit.{control.id}"
    results = [*control.findings, *control.suppressed, *control.passed]
    if control.not_judged:  # a rule that raised: an error of its own, beside what the others judged
        suite = _suite(root, report, f"{control.id} not judged",
                       {"tests": len(control.not_judged), "failures": 0, "errors": len(control.not_judged),
                        "skipped": 0})
        for line in control.not_judged:
            case = _element(suite, "testcase", classname=classname, name=f"not judged: {line}", time="0")
            _element(case, "error", f"{line}: see the scan errors.\n", message=f"not judged: {line}")
        if not results:
            return
    if not results:
        suite = _suite(root, report, control.id, {"tests": 1, "failures": 0, "errors": 0, "skipped": 1})
        _properties(suite, report, {"control.title": control.title})
        case = _element(suite, "testcase", classname=classname, name=f"{control.id} not applicable", time="0")
        _element(case, "skipped", f"{control.title}: nothing was judged.\n",
                 message=f"not applicable: {control.nothing_in_scope or 'nothing in scope'}")
        return
    counts = Counter(result.status for result in results)
    rejected = sum(1 for result in control.suppressed if _rejected(report, result))
    suite = _suite(root, report, control.id, {
        "tests": len(results), "failures": counts[Status.FAILED] + counts[Status.UNKNOWN] + rejected, "errors": 0,
        "skipped": counts[Status.SUPPRESSED] - rejected})
    _properties(suite, report, {"control.title": control.title})
    details = [[*([r.attribute] if r.attribute else []), _path(report, r.file), f"line {r.line}"] for r in results]
    names = _unique([f"{r.rule_id} {r.resource}" for r in results], details)
    for result, name in zip(results, names, strict=True):
        case = _element(suite, "testcase", classname=classname, name=name, file=_path(report, result.file),
                        line=result.line, time="0")
        if result.status == Status.FAILED:
            _element(case, "failure", _body(report, result), message=result.message, type=result.rule_id)
        elif result.status == Status.UNKNOWN:
            _element(case, "failure", _body(report, result), message=f"unknown: {result.message}", type="unknown")
        elif result.status == Status.SUPPRESSED and _rejected(report, result):
            _element(case, "failure", _body(report, result), type="suppression",
                     message=f"fail-on-suppressions: an inline suppression fails the gate: {_accepted(report, result)}")
        elif result.status == Status.SUPPRESSED:
            _element(case, "skipped", _body(report, result), message=_accepted(report, result))


def _error_suite(root: ET.Element, report: Report) -> None:
    errors = report.errors
    suite = _suite(root, report, "gateaudit.scan-errors",
                   {"tests": len(errors), "failures": 0, "errors": len(errors), "skipped": 0})
    names = _unique([f"scan error at {_where(report, e.file, e.line)}" for e in errors], [[] for _ in errors])
    for error, name in zip(errors, names, strict=True):
        case = _element(suite, "testcase", classname="gateaudit.scan-errors", name=name,
                        file=_path(report, error.file) if error.file else None, line=error.line, time="0")
        _element(case, "error", f"{error}\nThe scan is incomplete: this report is not a pass.\n",
                 message=error.message, type="scan-error")


def _not_scanned_suite(root: ET.Element, report: Report) -> None:
    modules = report.not_scanned
    suite = _suite(root, report, "gateaudit.not-scanned",
                   {"tests": len(modules), "failures": 0, "errors": 0, "skipped": len(modules)})
    names = _unique([m["module"] for m in modules],
                    [[_path(report, m["file"]), f"line {m['line']}"] for m in modules])
    for module, name in zip(modules, names, strict=True):
        case = _element(suite, "testcase", classname="gateaudit.not-scanned", name=name,
                        file=_path(report, module["file"]), line=module["line"], time="0")
        _element(case, "skipped", f"source {module['source']}\n",
                 message=f"not scanned: {module['reason']} (source {module['source']})")


def _warning_suite(root: ET.Element, report: Report) -> None:
    warnings = report.warnings
    suite = _suite(root, report, "gateaudit.warnings",
                   {"tests": len(warnings), "failures": 0, "errors": 0, "skipped": len(warnings)})
    names = _unique([f"warning at {_where(report, w.file, w.line)}" for w in warnings], [[] for _ in warnings])
    for warning, name in zip(warnings, names, strict=True):
        case = _element(suite, "testcase", classname="gateaudit.warnings", name=name,
                        file=_path(report, warning.file) if warning.file else None, line=warning.line, time="0")
        _element(case, "skipped", f"{warning}\n", message=warning.message)


def _stale_suite(root: ET.Element, report: Report) -> None:
    entries = stale_baseline(report, lambda file: _path(report, file))
    suite = _suite(root, report, "gateaudit.stale-baseline",
                   {"tests": len(entries), "failures": 0, "errors": 0, "skipped": len(entries)})
    _properties(suite, report, {})
    names = _unique([f"{e.rule_id} {e.resource}" for e in entries],
                    [[*([e.attribute] if e.attribute else []), *([e.recorded_at] if e.recorded_at else [])]
                     for e in entries])
    baseline = report.metadata.baseline_file or "the baseline"
    for entry, name in zip(entries, names, strict=True):
        case = _element(suite, "testcase", classname="gateaudit.stale-baseline", name=name, time="0")
        _element(case, "skipped", f"{entry.rule_id} {entry.resource}"
                                  + (f" (attribute {entry.attribute})" if entry.attribute else "")
                                  + (f", recorded at {entry.recorded_at}" if entry.recorded_at else "")
                                  + f": no longer occurs; remove it from {baseline}\n",
                 message=f"baseline entry no longer occurs: remove it from {baseline}")


def render(report: Report) -> str:
    root = _element(None, "testsuites", name="gateaudit")
    if report.errors:
        _error_suite(root, report)
    for control in controls(report):
        _control_suite(root, report, control)
    if report.not_scanned:
        _not_scanned_suite(root, report)
    if report.stale_baseline:
        _stale_suite(root, report)
    if report.warnings:
        _warning_suite(root, report)
    totals = Counter()
    for suite in root.iter("testsuite"):
        for key in ("tests", "failures", "errors", "skipped"):
            totals[key] += int(suite.get(key))
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(totals[key]))
    root.set("time", "0")
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
