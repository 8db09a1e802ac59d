"""The SARIF 2.1.0 report: what GitHub code scanning (and other SARIF readers) ingest.

One run, tool `gateaudit`, with one `reportingDescriptor` per rule that ran (whether or not it found
anything, so code scanning can tell "checked, nothing wrong" from "never checked" and close fixed alerts).

Choices this format makes, and why:

- **Which results.** Failed and unknown results, and suppressed ones (with a `suppressions` entry, so code
  scanning shows them as dismissed rather than dropping them). Passed results are left out. SARIF can
  say `kind: "pass"`, but GitHub does not list `kind` among the result properties code scanning reads,
  and tools that emitted passes saw every pass raised as an alert (microsoft/PSRule#955,
  complytime/complyctl#868); passes would also count against the 25,000-results-per-run upload limit
  (5,000 displayed, worst first). The rules in `tool.driver.rules` are the record of what was checked;
  the counts per control, including passes and "not applicable", are in `run.properties.controls`.
- **Levels follow the gate.** A failed or unknown result at or above `--fail-on` blocks the gate, so it
  is `error`; one below `--fail-on` is reported as `warning`. Unknown is an error like a failure
  (gateaudit does not wave through what it cannot prove secure), and its message starts with
  "Could not be decided" so it is not read as a proven defect. Severity for code scanning comes
  from the rule's `security-severity` (critical 9.5, high 8.0, medium 5.5, low 3.0, inside GitHub's
  bands >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low); `defaultConfiguration.level` is
  `error`, as every rule blocks at the default `--fail-on low`.
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
  Modules not scanned are notifications of level `warning`.
- **Category.** `automationDetails.id` is `gateaudit/` plus the scanned folder relative to the repository
  root (`gateaudit/stack/terraform/`), so scans of different folders uploaded from one repository do
  not close each other's alerts.
- **Git.** `versionControlProvenance` needs the repository URI, which the report does not know; the
  commit and branch go to `run.properties` instead. `informationUri` is left out for the same reason
  (no published address).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from urllib.parse import quote

from gateaudit.reports._view import ordered_mappings
from gateaudit.result import Report, Result, RuleInfo, ScanError, Severity, Status

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "gateaudit/v1"
MAX_TAGS = 20  # code scanning rejects a rule with more

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
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


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
    level = "error" if result.severity.rank >= report.metadata.fail_on.rank else "warning"  # as the gate decides
    if result.status == Status.UNKNOWN:
        text = f"Could not be decided, treated as a failure: {result.resource}: {result.message}"
    else:
        text = f"{result.resource}: {result.message}"
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
    if result.status == Status.SUPPRESSED:
        # Suppressions are written in the scanned source; the result's message carries the stated reason.
        entry["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": result.message}]
    return entry


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
    for item in report.not_scanned:
        reason = f"module {item['module']} (source {item['source']}) was not scanned: {item['reason']}"
        notifications.append(_notification(report.metadata.uri_base,
                                           ScanError(item["file"], item["line"], reason), "warning"))
    invocation = {
        "executionSuccessful": not report.errors,
        "exitCode": report.exit_code,
        "exitCodeDescription": {0: "pass", 1: "fail", 2: "error: scan incomplete, not a pass"}[report.exit_code],
        "endTimeUtc": report.metadata.generated_at,
    }
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    return invocation


def _notification(uri_base: str, error: ScanError, level: str) -> dict:
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
        "gitCommit": meta.git_commit,
        "gitBranch": meta.git_branch,
        "summary": report.counts(),
        "controls": [{"id": c.id, "title": c.title, "counts": c.counts,
                      "notApplicable": c.nothing_in_scope} for c in report.controls],
    }


def _category(uri_base: str) -> str:
    base = posixpath.normpath(uri_base.replace("\\", "/")) if uri_base else "."
    if base in (".", "/") or base == ".." or base.startswith("../"):  # outside the repository: no folder to name
        return ""
    return base.strip("/") + "/"
