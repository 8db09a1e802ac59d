"""The **Fails** and **Passes** examples of the secret-not-hardcoded rules' docstrings are real Terraform: run with
their rule alone, the one fails and the other passes. (The other controls' examples are still fragments: an
`environment {}` or `access_log_settings {}` without its resource.) The coverage rules' examples (GA100-GA400)
run too: a module that is not read is unknown, a local one is read and gives nothing to judge."""

from __future__ import annotations

import inspect
import re
import sys
from pathlib import Path

import pytest

from gateaudit.engine import run_rules
from gateaudit.modules import load
from gateaudit.rules import load_rules
from gateaudit.rules._unscanned import RULE_IDS as COVERAGE

RULES = [loaded for loaded in load_rules()
         if loaded.rule.control == "secret-not-hardcoded" and loaded.rule.id not in COVERAGE]


def example(rule, heading: str) -> str:
    doc = sys.modules[rule.check.__module__].__doc__ or ""
    found = re.search(rf"\*\*{heading}\*\*\n((?:    .*\n|\n)+)", doc + "\n")
    assert found, f"{rule.rule.id} has no **{heading}** example"
    return inspect.cleandoc(found.group(1))


@pytest.mark.parametrize(("rule", "heading", "status"),
                         [pytest.param(rule, heading, status, id=f"{rule.rule.id}-{heading}")
                          for rule in RULES for heading, status in (("Fails", "failed"), ("Passes", "passed"))])
def test_each_example_gives_its_verdict(rule, heading: str, status: str, tmp_path: Path) -> None:
    (tmp_path / "main.tf").write_text(example(rule, heading))
    stack, errors = load([tmp_path], use_cache=False)
    assert not errors, [str(e) for e in errors]
    results, rule_errors = run_rules(stack, [rule])
    assert not rule_errors, [str(e) for e in rule_errors]
    statuses = {r.status.value for r in results}
    assert status in statuses, [f"{r.status.value}: {r.message}" for r in results]
    if status == "passed":
        assert statuses == {"passed"}, [f"{r.status.value}: {r.message}" for r in results]


@pytest.mark.parametrize("rule", [loaded for loaded in load_rules() if loaded.rule.id in COVERAGE],
                         ids=lambda loaded: loaded.rule.id)
def test_each_coverage_example_gives_its_verdict(rule, tmp_path: Path) -> None:
    (tmp_path / "fails").mkdir()
    (tmp_path / "fails" / "main.tf").write_text(example(rule, "Fails"))
    (tmp_path / "passes" / "modules" / "api").mkdir(parents=True)
    (tmp_path / "passes" / "main.tf").write_text(example(rule, "Passes").split("\n(")[0])
    (tmp_path / "passes" / "modules" / "api" / "main.tf").write_text("# the module's own resources\n")
    for case, expected in (("fails", {"unknown"}), ("passes", set())):
        stack, errors = load([tmp_path / case], use_cache=False)
        assert not errors, [str(e) for e in errors]
        results, rule_errors = run_rules(stack, [rule])
        assert not rule_errors
        assert {r.status.value for r in results} == expected, case
