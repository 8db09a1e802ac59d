"""A `--rules-dir` rule cannot end the scan on its own terms: whatever it raises or calls, the scan ends in
exit 2 naming the rule, never in exit 0 with no report, never in a traceback (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

OPEN_METHOD = '''
resource "aws_api_gateway_method" "get" {
  rest_api_id   = "a"
  resource_id   = "b"
  http_method   = "GET"
  authorization = "NONE"
}
'''

RULE = '''
import os
import sys

from gateaudit.result import Severity
from gateaudit.rules import Rule

RULE = Rule(id="TEAM900", control="team", severity=Severity.LOW, title="t", rationale="r", remediation="f")

{at_import}

def check(stack):
    {in_check}
    yield from ()
'''

ENDINGS = {
    "sys.exit(0)": "sys.exit(0)",
    "os._exit(0)": "os._exit(0)",
    "posix._exit(0)": "import posix; posix._exit(0)",
    "raise SystemExit": "raise SystemExit",
    "raise KeyboardInterrupt": "raise KeyboardInterrupt",
    "raise GeneratorExit": "raise GeneratorExit",
    "raise BaseException": "raise BaseException('mine')",
    "exit()": "exit()",
}


def setup(tmp_path: Path, at_import: str = "", in_check: str = "pass") -> tuple[Path, Path]:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "team.py").write_text(RULE.format(at_import=at_import, in_check=in_check))
    terraform = tmp_path / "tf"
    terraform.mkdir()
    (terraform / "api.tf").write_text(OPEN_METHOD)
    return rules, terraform


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_a_rule_that_ends_the_process_while_judging_is_exit_2_naming_it(run_cli, tmp_path, ending):
    rules, terraform = setup(tmp_path, in_check=ENDINGS[ending])
    done = run_cli("scan", str(terraform), "--rules-dir", str(rules), "--format", "json")
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "rule TEAM900" in done.stderr and str(rules / "team.py") in done.stderr
    report = json.loads(done.stdout)  # the report is still written, with the other rules' results
    assert any(r["rule_id"] == "GA101" and r["status"] == "failed" for r in report["results"])
    assert report["exit_code"] == 2


@pytest.mark.parametrize("ending", sorted(ENDINGS))
def test_a_rule_that_ends_the_process_while_loading_is_exit_2_naming_it(run_cli, tmp_path, ending):
    rules, terraform = setup(tmp_path, at_import=ENDINGS[ending])
    for command in (["scan", str(terraform)], ["rules"], ["baseline", str(terraform), "-o",
                                                          str(tmp_path / "baseline.json")]):
        done = run_cli(*command, "--rules-dir", str(rules))
        assert done.returncode == 2, (command, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
        assert f"{rules / 'team.py'}: import failed" in done.stderr
    assert not (tmp_path / "baseline.json").exists()


def test_os_exit_works_again_after_the_rules_ran(tmp_path):
    """The guard lasts only while rules load and run: gateaudit's own exit path is untouched."""
    import os

    from gateaudit.engine import ScanOptions, scan

    rules, terraform = setup(tmp_path, in_check="os._exit(0)")
    original = os._exit
    report = scan(ScanOptions(paths=[terraform], display_paths=[str(terraform)], rules_dirs=[rules],
                              use_cache=False))
    assert report.exit_code == 2
    assert os._exit is original


HELPED_RULE = '''
from gateaudit.result import Severity
from gateaudit.rules import Rule

from ._helpers import {imported}

RULE = Rule(id="{rule_id}", control="team", severity=Severity.LOW, title="t", rationale="r", remediation="f")


def check(stack):
    for method in stack.resources("aws_api_gateway_method"):
        yield RULE.failed(method, {imported}())
'''


def helped(folder: Path, rule_id: str, says: str, imported: str = "says") -> Path:
    folder.mkdir(parents=True)
    (folder / "team.py").write_text(HELPED_RULE.format(rule_id=rule_id, imported=imported))
    (folder / "_helpers.py").write_text(f"def says():\n    return {says!r}\n")
    return folder


def scan_json(run_cli, terraform: Path, *folders: Path):
    done = run_cli("scan", str(terraform), *(a for f in folders for a in ("--rules-dir", str(f))), "--format", "json",
                   "--no-cache")
    return done, (json.loads(done.stdout) if done.stdout.strip() else None)


def test_a_rule_imports_the_helper_beside_it_and_helpers_are_not_rules(run_cli, tmp_path):
    _, terraform = setup(tmp_path)
    rules = helped(tmp_path / "team-rules", "TEAM901", "said by the helper")
    done, report = scan_json(run_cli, terraform, rules)
    assert done.returncode == 1, done.stderr
    mine = [r for r in report["results"] if r["rule_id"].startswith("TEAM")]
    assert [(r["rule_id"], r["resource"], r["message"]) for r in mine] == [
        ("TEAM901", "aws_api_gateway_method.get", "said by the helper")]
    listed = run_cli("rules", "--rules-dir", str(rules))
    assert listed.returncode == 0 and "TEAM901" in listed.stdout and "_helpers" not in listed.stdout


def test_two_folders_with_a_helper_of_the_same_name_each_get_their_own(run_cli, tmp_path):
    _, terraform = setup(tmp_path)
    first = helped(tmp_path / "first", "TEAM901", "from the first folder")
    second = helped(tmp_path / "second", "TEAM902", "from the second folder")
    done, report = scan_json(run_cli, terraform, first, second)
    assert done.returncode == 1, done.stderr
    messages = {r["rule_id"]: r["message"] for r in report["results"] if r["rule_id"].startswith("TEAM")}
    assert messages == {"TEAM901": "from the first folder", "TEAM902": "from the second folder"}


def test_a_helper_that_fails_to_import_is_exit_2_naming_the_helper(run_cli, tmp_path):
    _, terraform = setup(tmp_path)
    rules = helped(tmp_path / "team-rules", "TEAM901", "unused")
    (rules / "_helpers.py").write_text("import no_such_module_anywhere\n")
    done = run_cli("scan", str(terraform), "--rules-dir", str(rules))
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert (f"{rules / '_helpers.py'}: import failed: ModuleNotFoundError: No module named "
            f"'no_such_module_anywhere' (imported by {rules / 'team.py'})") in done.stderr


def test_a_helper_imported_absolutely_is_an_error_that_says_how_to_import_it(run_cli, tmp_path):
    _, terraform = setup(tmp_path)
    rules = helped(tmp_path / "team-rules", "TEAM901", "unused")
    (rules / "team.py").write_text((rules / "team.py").read_text().replace("from ._helpers", "from _helpers"))
    done = run_cli("scan", str(terraform), "--rules-dir", str(rules))
    assert done.returncode == 2
    assert (f"{rules / 'team.py'}: import failed: ModuleNotFoundError: No module named '_helpers'; import a helper "
            "beside the rule relatively: from ._helpers import ...") in done.stderr


TWO_METHODS = '''resource "aws_api_gateway_rest_api" "api" {
  name = "a"
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "AWS_IAM"
}

resource "aws_api_gateway_method" "post" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "POST"
  authorization = "AWS_IAM"
}
'''

# Judges GET, then raises in a helper while judging POST: the error names POST, the block it was judging, not GET.
RAISES_ON_POST = '''
from gateaudit.result import Severity
from gateaudit.rules import Rule

RULE = Rule(id="TEAM003", control="{control}", severity=Severity.HIGH, title="t", rationale="r", remediation="f")


def check(stack):
    for method in stack.resources("aws_api_gateway_method"):
        yield _judge(method)


def _judge(method):
    if method.value("http_method") == "POST":
        return {{}}["no such key"]
    return RULE.passed(method, "judged")
'''


@pytest.mark.parametrize("control", ["team", "authorizer-attached"])
def test_a_rule_that_raises_names_the_block_and_its_control_reads_not_judged(run_cli, tmp_path, control):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "team.py").write_text(RAISES_ON_POST.format(control=control))
    terraform = tmp_path / "tf"
    terraform.mkdir()
    (terraform / "api.tf").write_text(TWO_METHODS)
    out = tmp_path / "out"
    done = run_cli("scan", str(terraform), "--rules-dir", str(rules), "--format", "text", "--format", "json",
                   "--format", "markdown", "--format", "junit", "--output-dir", str(out))
    assert done.returncode == 2, done.stderr
    text = (out / "gateaudit.txt").read_text()
    line = "not judged: TEAM003 failed on aws_api_gateway_method.post (api.tf:12)"
    assert f"  {line}\n" in text
    assert "ERROR api.tf:12: internal error in rule TEAM003" in text
    assert "while judging aws_api_gateway_method.post: KeyError" in text
    summary = next(c for c in json.loads((out / "gateaudit.json").read_text())["controls"] if c["id"] == control)
    assert summary["not_judged"] == [line.removeprefix("not judged: ")]
    assert summary["nothing_in_scope"] is None  # never "not applicable"
    section = text.split(f"\n{control}: ", 1)[1].split("\n\n", 1)[0]
    assert "NOT APPLICABLE" not in section
    # GA101 passes both methods under authorizer-attached, yet the control is not passed: one of its rules failed.
    assert f"### ❓ {control}:" in (out / "gateaudit.md").read_text()
    cases = ElementTree.parse(out / "gateaudit.xml").getroot().iter("testcase")
    errors = [case.find("error") for case in cases if case.get("name") == line]
    assert len(errors) == 1 and errors[0].get("message") == line
