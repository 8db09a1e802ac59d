"""The JUnit report as GitLab and Jenkins read it: parsed with junitparser, compared with the JSON report of the
same scan. One suite per control, failures carrying message, location and fix, a broken scan never green."""

import dataclasses
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from junitparser import Error, Failure, JUnitXml, Skipped

from gateaudit.engine import ScanOptions, scan
from gateaudit.reports import junit
from gateaudit.result import Severity, Status

from ._stacks import inline_tf, suppressed_stack

ROOT = Path(__file__).resolve().parents[2]
UNKNOWN_FIXTURE = "tests/rules/GA101/unknown_authorization_from_var.tf"

HOSTILE = r'''
resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}

resource "aws_api_gateway_method" "get" {
  for_each      = toset(["<b>]]></b> & \u0001\u0008\u000b\u000c\u001f", "]]>", "a\"b'c<d"])
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "NONE ]]> <x/> \u0000"
}
'''


def cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gateaudit", *args], capture_output=True, text=True, cwd=ROOT,
                          timeout=120, env={**os.environ, **(env or {})})


def scan_both(paths: list[str], out: Path) -> tuple[JUnitXml, dict, int]:
    """The real CLI, JUnit and JSON of one scan side by side."""
    done = cli("scan", *paths, "--format", "junit", "--format", "json", "--output-dir", str(out))
    xml = JUnitXml.fromstring((out / "gateaudit.xml").read_bytes())
    return xml, json.loads((out / "gateaudit.json").read_text()), done.returncode


@pytest.fixture(scope="module")
def seed(tmp_path_factory):
    return scan_both(["stack/examples/seed"], tmp_path_factory.mktemp("seed"))


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    return scan_both(["stack/terraform"], tmp_path_factory.mktemp("reference"))


def suites(xml: JUnitXml) -> dict:
    return {suite.name: suite for suite in xml}


@pytest.mark.parametrize("which", ["seed", "reference"])
def test_one_suite_per_control_with_the_reports_counts(which, request):
    xml, report, _ = request.getfixturevalue(which)
    by_name = suites(xml)
    assert list(by_name) == [c["id"] for c in report["controls"]]  # no error suite: these scans are complete
    for control in report["controls"]:
        suite, counts = by_name[control["id"]], control["counts"]
        cases = list(suite)
        assert suite.failures == counts["failed"] + counts["unknown"] == sum(c.is_failure for c in cases)
        assert suite.skipped == counts["suppressed"]
        assert suite.errors == 0
        assert suite.tests == len(cases) == sum(counts.values())
        assert suite.timestamp == report["generated_at"]
        assert {c.classname for c in cases} == {f"gateaudit.{control['id']}"}
    assert xml.failures == report["summary"]["failed"] + report["summary"]["unknown"]
    assert xml.tests == sum(report["summary"].values())


@pytest.mark.parametrize("which", ["seed", "reference"])
def test_each_result_is_a_case_named_by_rule_and_resource(which, request):
    xml, report, _ = request.getfixturevalue(which)
    cases = {(suite.name, case.name): case for suite in xml for case in suite}
    assert len(cases) == len(report["results"])  # unique names: GitLab keys cases by class and name
    for result in report["results"]:
        base = f"{result['rule_id']} {result['resource']}"
        named = [case for (control, name), case in cases.items()
                 if control == result["control"] and (name == base or name.startswith(f"{base} ("))
                 and case._elem.get("file").endswith(result["file"]) and case._elem.get("line") == str(result["line"])]
        if len(named) > 1:  # the same rule judged the same block twice: the name says which attribute
            named = [case for case in named if f"({result['attribute']}," in case.name]
        [case] = named
        if result["status"] == "passed":
            assert case.is_passed and not case.result


def test_a_failure_carries_message_type_location_and_fix(seed):
    xml, report, code = seed
    assert code == 1
    failed = next(r for r in report["results"] if r["rule_id"] == "GA101" and r["status"] == "failed")
    case = next(c for c in suites(xml)["authorizer-attached"] if c.name == f"GA101 {failed['resource']}")
    [failure] = case.result
    assert isinstance(failure, Failure)
    assert failure.type == "GA101"
    assert failure.message == failed["message"]
    assert f"stack/examples/seed/{failed['file']}:{failed['line']}" in failure.text
    assert f"fix: {failed['remediation']}" in failure.text
    assert case._elem.get("file") == "stack/examples/seed/main.tf"  # relative to the repository root, for GitLab


def test_unknown_is_a_failure():
    unknown_report = scan(ScanOptions([ROOT / UNKNOWN_FIXTURE], [UNKNOWN_FIXTURE], fail_on=Severity.LOW))
    [unknown] = [r for r in unknown_report.results if r.status == Status.UNKNOWN]
    xml = JUnitXml.fromstring(junit.render(unknown_report).encode())
    cases = {case.name: case for suite in xml for case in suite}
    [result] = cases[f"GA101 {unknown.resource}"].result
    assert isinstance(result, Failure) and result.type == "unknown"
    assert result.message == f"unknown: {unknown.message}"
    assert "does not block the gate" not in result.text


# The stack of _stacks.suppressed_stack has one suppression of each kind, built as a user would: an inline
# comment, a config exemption, and a baseline written by `gateaudit baseline` before the stack changed (so one of
# its entries no longer occurs).
INLINE_REASON = "public health check <script>alert(1)</script> ]]> & [x](http://evil.example.com) | done"
CONFIG_REASON = "status page <img src=x onerror=alert(1)> \" ]]>"


@pytest.fixture(scope="module")
def suppressed_scan(tmp_path_factory):
    folder, baseline = suppressed_stack(tmp_path_factory.mktemp("suppressed") / "stack", INLINE_REASON, CONFIG_REASON)
    return (*scan_both([str(folder), "--baseline", str(baseline)], folder.parent / "out"), folder)


def test_suppressed_results_are_skipped_with_who_accepted_them_and_why(suppressed_scan):
    xml, report, code, _ = suppressed_scan
    assert code == 1  # the open method still fails
    cases = {case.name: case for case in suites(xml)["authorizer-attached"]}
    skipped = {name: case.result[0] for name, case in cases.items() if case.is_skipped}
    config = report["settings"]["config_file"]
    assert config.endswith(".gateaudit.toml")
    assert {name: s.message for name, s in skipped.items()} == {
        "GA101 aws_api_gateway_method.health": f"suppressed (inline, main.tf:5, until 2099-01-01): {INLINE_REASON}",
        "GA101 aws_api_gateway_method.status": f"suppressed (config, {config}, until 2099-12-31): {CONFIG_REASON}",
        "GA101 aws_api_gateway_method.legacy": f"suppressed (baseline, {report['settings']['baseline_file']}): "
                                               "recorded in the baseline gateaudit-baseline.json",
    }
    health = skipped["GA101 aws_api_gateway_method.health"]
    assert "aws_api_gateway_method.health at main.tf:6" in health.text  # the finding it accepts, and where
    assert 'authorization is "NONE" on GET' in health.text
    [failure] = cases["GA101 aws_api_gateway_method.open"].result
    assert isinstance(failure, Failure)
    suite = suites(xml)["authorizer-attached"]
    assert (suite.skipped, suite.failures) == (3, 1)


def test_reasons_from_scanned_files_are_escaped(suppressed_scan):
    _, _, _, folder = suppressed_scan
    raw = (folder.parent / "out" / "gateaudit.xml").read_text()
    assert "<script>" not in raw and "<img" not in raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; [x]" in raw
    ET.fromstring(raw.encode())  # well-formed


def test_stale_baseline_entries_are_a_suite_saying_remove_them(suppressed_scan):
    xml, report, _, _ = suppressed_scan
    [stale] = report["stale_baseline"]
    [case] = list(suites(xml)["gateaudit.stale-baseline"])
    assert case.name == f"GA101 {stale['resource']}" == "GA101 aws_api_gateway_method.gone"
    [skipped] = case.result
    baseline = report["settings"]["baseline_file"]
    assert skipped.message == f"baseline entry no longer occurs: remove it from {baseline}"
    assert "recorded at main.tf:" in skipped.text and "(attribute authorization)" in skipped.text


def test_gate_settings_are_suite_properties(suppressed_scan, tmp_path):
    xml, report, _, folder = suppressed_scan
    properties = {p.name: p.value for p in suites(xml)["authorizer-attached"].properties()}
    assert properties["gateaudit.unknown"] == "fail"
    assert properties["gateaudit.inline_suppressions"] == "true"
    assert properties["gateaudit.fail_on_suppressions"] == "false"
    assert properties["gateaudit.config_file"] == report["settings"]["config_file"]
    assert properties["gateaudit.baseline_file"] == report["settings"]["baseline_file"]

    xml, _, _ = scan_both([str(folder), "--unknown", "warn", "--no-inline-suppressions"], tmp_path / "out")
    properties = {p.name: p.value for p in suites(xml)["authorizer-attached"].properties()}
    assert (properties["gateaudit.unknown"], properties["gateaudit.inline_suppressions"]) == ("warn", "false")
    assert "gateaudit.baseline_file" not in properties
    [health] = [c for c in suites(xml)["authorizer-attached"] if c.name == "GA101 aws_api_gateway_method.health"]
    assert isinstance(health.result[0], Failure)  # the comment was not applied


def test_fail_on_suppressions_makes_an_inline_suppression_a_failure(tmp_path):
    (tmp_path / "stack").mkdir()
    (tmp_path / "stack" / "main.tf").write_text(inline_tf(INLINE_REASON))
    xml, report, code = scan_both([str(tmp_path / "stack"), "--fail-on-suppressions"], tmp_path / "out")
    assert code == 1 and report["summary"]["failed"] == 0  # nothing failed: the suppression itself fails the gate
    suite = suites(xml)["authorizer-attached"]
    [case] = [c for c in suite if c.name == "GA101 aws_api_gateway_method.health"]
    [failure] = case.result
    assert isinstance(failure, Failure) and failure.type == "suppression"
    assert failure.message == ("fail-on-suppressions: an inline suppression fails the gate: suppressed (inline, "
                               f"main.tf:5, until 2099-01-01): {INLINE_REASON}")
    assert (suite.failures, suite.skipped) == (1, 0) and xml.failures == 1


def test_unknown_results_let_through_say_so(tmp_path):
    xml, report, code = scan_both([UNKNOWN_FIXTURE, "--unknown", "pass"], tmp_path / "out")
    assert code == 0 and report["summary"]["unknown"] == 1
    [failure] = [c.result[0] for suite in xml for c in suite if c.result and isinstance(c.result[0], Failure)]
    assert failure.type == "unknown"
    assert "unknown results do not fail the gate (unknown = pass): reported, but it does not block the gate" in \
        failure.text


def test_a_control_with_nothing_in_scope_is_a_visible_skipped_suite(tmp_path):
    (tmp_path / "api.tf").write_text('resource "aws_api_gateway_rest_api" "api" {\n  name = "a"\n}\n')
    xml, report, _ = scan_both([str(tmp_path)], tmp_path / "out")
    for control in report["controls"]:
        assert control["nothing_in_scope"]
        [case] = list(suites(xml)[control["id"]])
        [skipped] = case.result
        assert isinstance(skipped, Skipped)
        assert skipped.message == f"not applicable: {control['nothing_in_scope']}"


@pytest.mark.parametrize("files", [{"main.tf": 'resource "aws_api_gateway_method" "x" {\n  authorization = \n'}, {}],
                         ids=["parse error", "no files"])
def test_a_scan_error_makes_an_error_suite(tmp_path, files):
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    xml, report, code = scan_both([str(tmp_path)], tmp_path / "out")
    assert code == 2 and report["errors"]
    errors = suites(xml)["gateaudit.scan-errors"]
    assert errors.errors == errors.tests == len(report["errors"])
    assert xml.errors == len(report["errors"])
    for case, error in zip(errors, report["errors"], strict=True):
        [result] = case.result
        assert isinstance(result, Error)
        assert result.message == error["message"]
        assert "not a pass" in result.text


def test_modules_not_scanned_are_skipped_cases(tmp_path):
    (tmp_path / "main.tf").write_text('module "lambda" {\n  source = "terraform-aws-modules/lambda/aws"\n}\n')
    xml, _, _ = scan_both([str(tmp_path)], tmp_path / "out")
    [case] = list(suites(xml)["gateaudit.not-scanned"])
    assert case.name == "module.lambda" and case.is_skipped
    assert case.result[0].message.startswith("not scanned: ")


def test_hostile_names_and_messages_still_parse(tmp_path):
    (tmp_path / "<a>]]>&'\".tf").write_text(HOSTILE)
    xml, _, code = scan_both([str(tmp_path)], tmp_path / "out")
    assert code == 1
    raw = (tmp_path / "out" / "gateaudit.xml").read_text()
    assert not any(ord(c) < 0x20 and c not in "\t\n\r" for c in raw)
    names = {case.name for suite in xml for case in suite}
    # control characters XML 1.0 cannot hold are shown as escapes; `<`, `&`, `]]>` and quotes survive as text
    assert 'GA101 aws_api_gateway_method.get["<b>]]></b> & \\x01\\x08\\x0b\\x0c\\x1f"]' in names
    assert 'GA101 aws_api_gateway_method.get["]]>"]' in names
    assert """GA101 aws_api_gateway_method.get["a"b'c<d"]""" in names
    failures = [case.result[0] for suite in xml for case in suite if case.is_failure]
    assert len(failures) == 3
    assert all("]]> <X/> \\x00" in f.message and "]]> <X/> \\x00" in f.text for f in failures)
    assert {case._elem.get("file") for suite in xml for case in suite if case.is_failure} == {"<a>]]>&'\".tf"}


def test_hostile_text_built_by_hand_parses():
    report = scan(ScanOptions([ROOT / "stack/examples/seed"], ["stack/examples/seed"], fail_on=Severity.LOW))
    nasty = "\x00\x07\x0b\x0c\x1b\ud800\ufffe ]]> <![CDATA[ x ]]> </testcase> &amp; \"'"
    first = report.results[0]
    hostile = dataclasses.replace(first, resource=f"aws_x.y[{nasty!s}]", message=nasty, file=f"{nasty}.tf")
    report = dataclasses.replace(report, results=(hostile, *report.results[1:]))
    xml = JUnitXml.fromstring(junit.render(report).encode("utf-8", "surrogatepass"))
    case = next(case for suite in xml for case in suite if case.name.startswith("GA") and "aws_x.y" in case.name)
    assert "]]> <![CDATA[ x ]]> </testcase> &amp;" in case.name
    assert "\\x00\\x07\\x0b\\x0c\\x1b\\ud800\\ufffe" in case.name


def test_reproducible_with_source_date_epoch(tmp_path):
    outputs = []
    for run in ("a", "b"):
        cli("scan", "stack/examples/seed", "--format", "junit", "--output-dir", str(tmp_path / run),
            env={"SOURCE_DATE_EPOCH": "1790000000"})
        outputs.append((tmp_path / run / "gateaudit.xml").read_bytes())
    assert outputs[0] == outputs[1]
    assert b'timestamp="2026-09-21T14:13:20Z"' in outputs[0]
