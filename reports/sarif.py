"""The SARIF 2.1.0 report: what GitHub code scanning (and other SARIF readers) ingest.

One run, tool `gateaudit`, with one `reportingDescriptor` per rule that ran (whether or not it found
anything, so code scanning can tell "checked, nothing wrong" from "never checked" and close fixed alerts).

Choices this format makes, and why:

- **Which results.** Failed and unknown results, and suppressed ones (with a `suppressions` entry, so a
  SARIF reader shows them as suppressed, with who accepted the risk and why, rather than losing them).
  Passed results are left out. SARIF can
  say `kind: "pass"`, but GitHub does not list `kind` among the result properties code scanning reads,
  and tools that emitted passes saw every pass raised as an alert (microsoft/PSRule#955,
  complytime/complyctl#868); passes would also count against the 25,000-results-per-run upload limit
  (5,000 displayed, worst first). The rules in `tool.driver.rules` are the record of what was checked;
  the counts per control, including passes and "not applicable", are in `run.properties.controls`.
- **Levels follow the gate.** A failed or unknown result at or above `--fail-on` blocks the gate, so it
  is `error`; one below `--fail-on` is reported as `warning`. Unknown is an error like a failure
  (gateaudit does not wave through what it cannot prove secure), and its message starts with
  "Could not be decided" so it is not read as a proven defect. When the gate lets unknown results
  through, their level says how far: `--unknown=warn` makes them `warning` (a problem to look at, that
  does not block, like a failure below `--fail-on`), `--unknown=pass` makes them `note` (the team chose
  not to act on them; they stay listed, at the lowest level that is still a finding). The two modes
  gate alike; the level is where they differ, and the message says the result does not fail the gate.
  Severity for code scanning comes
  from the rule's `security-severity` (critical 9.5, high 8.0, medium 5.5, low 3.0, inside GitHub's
  bands >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low); `defaultConfiguration.level` is
  `error`, as every rule blocks at the default `--fail-on low`.
- **Suppressions.** `kind` is `inSource` for a `# gateaudit:ignore` comment, with the comment's file and
  line as its `location`, and `external` for a config exemption or a baseline entry (no `location`: the
  config and baseline files are named relative to where gateaudit ran, not to the repository root; they
  are in the suppression's `properties.where`). `justification` is the stated reason; `properties` add
  the source and `until`. `status` is `accepted`, except that with `--fail-on-suppressions` an inline
  suppression is `rejected`, with level `error`: the gate fails on it, so a reader must not hide it
  (SARIF: a result whose suppressions are all rejected is not suppressed). GitHub code scanning does not
  dismiss alerts from `suppressions` by itself; the advanced-security/dismiss-alerts action reads them.
- **Where.** `artifactLocation.uri` is the file relative to the repository root (the report's
  `uri_base` joined with the result's file, normalised, percent-encoded) with `uriBaseId` `%SRCROOT%`;
  the region is the block's start line. The resource address is the `logicalLocation`.
- **Fingerprints.** `partialFingerprints["gateaudit/v1"]` is the SHA-256 of the rule id, resource
  address and attribute path, never the line, so an alert survives lines added above it; a rule that
  judges one attribute of one resource more than once gets `:2`, `:3`... in file and line order.
- **Messages.** `message.text` is the resource address and the rule's message, plain text as written. Braces
  are not doubled: SARIF (§3.11.5) asks for `{{`/`}}` so readers can tell placeholders apart, but these
  messages carry no `arguments`, and GitHub does not document un-doubling, so code scanning would show
  Terraform hints as `${{...}}`.
- **Tags.** `security` (the tag code scanning filters security results by), the control id
  (`authorizer-attached`), and each mapped framework control as `<FRAMEWORK>-<id>`: `FSBP-APIGateway.8`
  (AWS Security Hub FSBP), `NIST-800-53-AC-3` (NIST SP 800-53 rev 5), `OWASP-API2:2023` (OWASP API
  Top 10 2023); another framework's prefix is its name with spaces as dashes. Code scanning accepts at
  most 20 tags per rule, so more are cut there; the full mappings stay in `help` and `properties`.
- **Errors.** Scan errors are `toolExecutionNotifications` of level `error` in the one invocation, with
  `executionSuccessful: false`: a SARIF reader (SARIF spec, appendix on incomplete result sets) must
  not take the results as complete. Code scanning may then refuse the upload as an "unsuccessful
  execution", which keeps the earlier alerts open rather than closing them on a partial scan.
  Modules not scanned are notifications of level `warning`; baseline entries that no longer occur are
  notifications of level `note` ("remove it"), and are listed in `run.properties.staleBaseline`.
- **Gate settings.** `run.properties` records `unknown`, `inlineSuppressions`, `failOnSuppressions`,
  `configFile` and `baselineFile` beside `failOn`: the settings that decided the verdict. The invocation's
  `exitCodeDescription` is the verdict with the gate's reasons (`fail: 1 failed at or above fail-on high`).
- **Category.** `automationDetails.id` is `gateaudit/` plus the scanned folder relative to the repository
  root (`gateaudit/stack/terraform/`), so scans of different folders uploaded from one repository do
  not close each other's alerts.
- **Git.** `versionControlProvenance` needs the repository URI, which the report does not know; the
  commit, branch and `gitWorkingTreeModified` (the work tree differed from the commit; null: git could not
  tell) go to `run.properties` instead. `informationUri` is left out for the same reason
  (no published address).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from urllib.parse import quote

from gateaudit import gate
from gateaudit.reports._json import dumps
from gateaudit.reports._view import ordered_mappings, suppression_view
from gateaudit.result import Report, Result, RuleInfo, ScanError, ScanWarning, Severity, Status, UnknownMode

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "gateaudit/v1"
MAX_TAGS = 20  # code scanning rejects a rule with more

# An unknown result's level when the gate lets it through.
UNKNOWN_LEVEL = {UnknownMode.WARN: "warning", UnknownMode.PASS: "note"}
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5", Severity.LOW: "3.0"}
FRAMEWORK_TAG = {"AWS Security Hub FSBP": "FSBP", "NIST SP 800-53 rev 5": "NIST-800-53",
                 "OWASP API Top 10 2023": "OWASP"}
REPORTED = (Status.FAILED, Status.UNKNOWN, Status.SUPPRESSED)


def render(report: Report) -> str:
    meta = report.metadata
    rule_index = {rule.id: index for index, rule in enumerate(report.rules)}
    reported = [r for r in report.results if r.status in REPORTED]
    fingerprints = _fingerprints(reported)
    run = {
        "tool": {"driver": {
            "name": meta.tool,
            "version": meta.version,
            "semanticVersion": meta.version,
            "rules": [_rule(rule) for rule in report.rules],
            "properties": {"rulesetVersion": meta.ruleset_version},
        }},
        "automationDetails": {"id": f"gateaudit/{_category(meta.uri_base)}"},
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The root of the repository (the git work tree) "
                                                                  "that holds the scanned Terraform."}}},
        "invocations": [_invocation(report)],
        "results": [_result(report, r, rule_index, fingerprints[i]) for i, r in enumerate(reported)],
        "properties": _run_properties(report),
    }
    document = {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return dumps(document) + "\n"


def artifact_uri(uri_base: str, file: str) -> str:
    """The file as a URI reference relative to the repository root: `stack/examples/seed/main.tf`."""
    path = posixpath.normpath(posixpath.join(uri_base.replace("\\", "/"), file.replace("\\", "/")))
    return quote(path.removeprefix("./"), safe="/")


def fingerprint(result: Result) -> str:
    """Stable across line shifts: rule, resource address and attribute path, never the line."""
    key = json.dumps([result.rule_id, result.resource, result.attribute or ""], ensure_ascii=False)
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def rule_name(rule: RuleInfo) -> str:
    """PascalCase from the rule module (`ga101_rest_method_authorized` -> `RestMethodAuthorized`), else the title."""
    stem = re.split(r"[./\\]", rule.origin.removesuffix(".py"))[-1].lower()
    stem = stem.removeprefix(rule.id.lower()).strip("_")
    words = re.findall(r"[A-Za-z0-9]+", stem) or re.findall(r"[A-Za-z0-9]+", rule.title) or [rule.id]
    return "".join(word[:1].upper() + word[1:] for word in words)


def _rule(rule: RuleInfo) -> dict:
    mappings = [(framework, ids) for framework, ids in ordered_mappings(rule) if ids]
    tags = ["security", rule.control]
    for framework, ids in mappings:
        prefix = FRAMEWORK_TAG.get(framework) or re.sub(r"\s+", "-", framework.strip())
        tags.extend(f"{prefix}-{control_id}" for control_id in ids)
    mapping_lines = "".join(f"\n- {framework}: {', '.join(ids)}" for framework, ids in mappings)
    mapping_text = f"\n\nCompliance mappings:{mapping_lines}" if mappings else ""
    return {
        "id": rule.id,
        "name": rule_name(rule),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.rationale},
        "help": {
            "text": f"Fix: {rule.remediation}\n\n{rule.help}{mapping_text}",
            "markdown": f"**Fix:** {rule.remediation}\n\n{rule.help}{mapping_text}",
        },
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "tags": list(dict.fromkeys(tags))[:MAX_TAGS],
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "severity": rule.severity.value,
            "control": rule.control,
            "mappings": {framework: list(ids) for framework, ids in mappings},
        },
    }


def _result(report: Report, result: Result, rule_index: dict[str, int], fingerprint_value: str) -> dict:
    meta = report.metadata
    level = "error" if gate.at_or_above(result, meta) else "warning"  # as the gate decides
    if result.status == Status.UNKNOWN and meta.unknown != UnknownMode.FAIL:
        level = UNKNOWN_LEVEL.get(meta.unknown, "warning")
        text = (f"Could not be decided, and unknown results do not fail the gate (unknown = {meta.unknown}): "
                f"{result.resource}: {result.message}")
    elif result.status == Status.UNKNOWN:
        text = f"Could not be decided, treated as a failure: {result.resource}: {result.message}"
    else:
        text = f"{result.resource}: {result.message}"
    suppression = _suppression(report, result) if result.status == Status.SUPPRESSED else None
    if suppression is not None and suppression["status"] == "rejected":
        level = "error"  # fail-on-suppressions: the gate fails on this inline suppression
    location = _location(report.metadata.uri_base, result.file, result.line)
    location["logicalLocations"] = [{"fullyQualifiedName": result.resource}]
    entry: dict = {"ruleId": result.rule_id}
    if result.rule_id in rule_index:
        entry["ruleIndex"] = rule_index[result.rule_id]
    entry.update({
        "level": level,
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint_value},
        "properties": {"status": result.status.value, "severity": result.severity.value,
                       "control": result.control, "resource": result.resource, "attribute": result.attribute},
    })
    if suppression is not None:
        entry["suppressions"] = [suppression]
    return entry


def _suppression(report: Report, result: Result) -> dict:
    """Who accepted the risk, why, and where it was written (the comment's location, for an inline one)."""
    accepted = suppression_view(report, result)
    inline = accepted.source == "inline"
    rejected = gate.rejected(result.suppression, report.metadata)
    suppression: dict = {"kind": "inSource" if inline else "external", "status": "rejected" if rejected else "accepted",
                         "justification": accepted.reason}
    record = result.suppression
    if inline and record is not None and record.file:
        suppression["location"] = _location(report.metadata.uri_base, record.file, record.line)
    properties = {"source": accepted.source or None, "where": accepted.where, "until": accepted.until}
    if rejected:
        properties["rejectedBecause"] = "fail-on-suppressions: an inline suppression fails the gate by being there"
    properties = {key: value for key, value in properties.items() if value is not None}
    if properties:
        suppression["properties"] = properties
    return suppression


def _fingerprints(results: list[Result]) -> list[str]:
    """One fingerprint per result; repeats of one rule, resource and attribute are numbered in file order."""
    order = sorted(range(len(results)), key=lambda i: results[i].sort_key())
    seen: dict[str, int] = {}
    values = [""] * len(results)
    for i in order:
        base = fingerprint(results[i])
        seen[base] = seen.get(base, 0) + 1
        values[i] = base if seen[base] == 1 else f"{base}:{seen[base]}"
    return values


def _location(uri_base: str, file: str, line: int | None) -> dict:
    physical: dict = {"artifactLocation": _artifact(uri_base, file)}
    if line and line > 0:
        physical["region"] = {"startLine": line}
    return {"physicalLocation": physical}


def _artifact(uri_base: str, file: str) -> dict:
    if file.startswith("/"):  # outside any relative base: an absolute file URI
        return {"uri": "file://" + quote(file, safe="/")}
    return {"uri": artifact_uri(uri_base, file), "uriBaseId": SRCROOT}


def _invocation(report: Report) -> dict:
    notifications = [_notification(report.metadata.uri_base, error, "error") for error in report.errors]
    notifications += [_notification(report.metadata.uri_base, warning, "warning") for warning in report.warnings]
    for item in report.not_scanned:
        reason = f"module {item['module']} (source {item['source']}) was not scanned: {item['reason']}"
        notifications.append(_notification(report.metadata.uri_base,
                                           ScanError(item["file"], item["line"], reason), "warning"))
    for item in report.skipped:
        notifications.append(_notification(report.metadata.uri_base, ScanError(
            item["path"], None, f"not scanned, on purpose: {item['reason']}"), "note"))
    for entry in report.stale_baseline:
        recorded = f", recorded at {entry['file']}:{entry['line']}" if entry.get("file") and entry.get("line") else ""
        attribute = f" ({entry['attribute']})" if entry.get("attribute") else ""
        notifications.append({"level": "note", "message": {"text": (
            f"baseline entry no longer occurs, remove it from {report.metadata.baseline_file or 'the baseline'}: "
            f"{entry['rule_id']} {entry['resource']}{attribute}{recorded}")}})
    invocation = {
        "executionSuccessful": not report.errors,
        "exitCode": report.exit_code,
        "exitCodeDescription": f"{report.gate.label.lower()}: {'; '.join(report.gate.reasons)}",
        "endTimeUtc": report.metadata.generated_at,
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _notification(uri_base: str, error: ScanError | ScanWarning, level: str) -> dict:
    notification: dict = {"level": level, "message": {"text": error.message if error.file else str(error)}}
    if error.file:
        notification["locations"] = [_location(uri_base, error.file, error.line)]
    return notification


def _run_properties(report: Report) -> dict:
    meta = report.metadata
    return {
        "rulesetVersion": meta.ruleset_version,
        "paths": list(meta.paths),
        "varFiles": list(meta.var_files),
        "failOn": meta.fail_on.value,
        "unknown": meta.unknown,
        "inlineSuppressions": meta.inline_suppressions,
        "failOnSuppressions": meta.fail_on_suppressions,
        "failOnExemptions": meta.fail_on_exemptions,
        "today": meta.today,
        "configFile": meta.config_file,
        "baselineFile": meta.baseline_file,
        "staleBaseline": [dict(entry) for entry in report.stale_baseline],
        "skipped": [dict(item) for item in report.skipped],
        "gitCommit": meta.git_commit,
        "gitBranch": meta.git_branch,
        "gitWorkingTreeModified": meta.git_modified,
        "summary": report.counts(),
        "controls": [{"id": c.id, "title": c.title, "counts": c.counts,
                      "notApplicable": c.nothing_in_scope,
                      "notJudged": list(c.not_judged)} for c in report.controls],
    }


def _category(uri_base: str) -> str:
    base = posixpath.normpath(uri_base.replace("\\", "/")) if uri_base else "."
    if base in (".", "/") or base == ".." or base.startswith("../"):  # outside the repository: no folder to name
        return ""
    return base.strip("/") + "/"
