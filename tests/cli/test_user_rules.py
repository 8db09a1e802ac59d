"""A `--rules-dir` rule cannot end the scan on its own terms: whatever it raises or calls, the scan ends in
exit 2 naming the rule, never in exit 0 with no report, never in a traceback (issue 13)."""

from __future__ import annotations

import json
from pathlib import Path

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
