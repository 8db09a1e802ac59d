"""Every rule's docstring examples are real Terraform that give the verdict they claim: run with its rule alone,
the **Fails** example fails it (at least one `failed` result) and the **Passes** example passes it (at least one
result, every one `passed`). An example is the indented block under its heading, cut at its first unindented line.
It is complete: every resource, data source, variable and local it refers to is declared in it (each example was
also checked with `terraform validate` against hashicorp/aws 5.100.0 when written).

The coverage rules (GA100-GA400) judge no resource, so their examples are module calls: the **Fails** one (a
registry module that is not downloaded) is `unknown`, and the **Passes** one (a local module, whose folder the
test creates empty) gives nothing to judge.
"""

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

RULES = load_rules()


def example(rule, heading: str) -> str:
    doc = sys.modules[rule.check.__module__].__doc__ or ""
    found = re.search(rf"^\*\*{heading}\*\*\n((?:    .*\n|\n)+)", doc + "\n", re.MULTILINE)
    assert found, f"{rule.rule.id} has no indented **{heading}** example"
    return inspect.cleandoc(found.group(1)) + "\n"


REFERENCE = re.compile(r"(?<![\w.])((?:data\.|ephemeral\.)?aws_\w+\.\w+|var\.\w+|local\.\w+)")
DECLARED = re.compile(r'^(?:(resource|data|ephemeral) "(\w+)" "(\w+)"|variable "(\w+)")', re.MULTILINE)
LOCAL = re.compile(r"^\s+(\w+)\s*=", re.MULTILINE)


def undeclared(text: str) -> set[str]:
    """References of the example that name nothing it declares (locals: any `name =` line counts)."""
    declared = set()
    for kind, type_, name, variable in DECLARED.findall(text):
        if variable:
            declared.add(f"var.{variable}")
        else:
            declared.add(f"{'' if kind == 'resource' else kind + '.'}{type_}.{name}")
    declared |= {f"local.{name}" for name in LOCAL.findall(text)}
    return set(REFERENCE.findall(text)) - declared


def verdicts(rule, folder: Path) -> list[str]:
    stack, errors = load([folder], use_cache=False)
    assert not errors, [str(e) for e in errors]
    results, rule_errors = run_rules(stack, [rule])
    assert not rule_errors, [str(e) for e in rule_errors]
    return [f"{r.status.value} {r.resource}: {r.message}" for r in results]


@pytest.mark.parametrize(("rule", "heading", "status"),
                         [pytest.param(rule, heading, status, id=f"{rule.rule.id}-{heading}")
                          for rule in RULES if rule.rule.id not in COVERAGE
                          for heading, status in (("Fails", "failed"), ("Passes", "passed"))])
def test_each_example_gives_its_verdict(rule, heading: str, status: str, tmp_path: Path) -> None:
    text = example(rule, heading)
    assert not undeclared(text), f"{rule.rule.id} **{heading}** refers to undeclared {sorted(undeclared(text))}"
    (tmp_path / "main.tf").write_text(text)
    found = verdicts(rule, tmp_path)
    statuses = {line.split()[0] for line in found}
    assert status in statuses, found
    if status == "passed":
        assert statuses == {"passed"}, found


@pytest.mark.parametrize("rule", [rule for rule in RULES if rule.rule.id in COVERAGE], ids=lambda rule: rule.rule.id)
def test_each_coverage_example_gives_its_verdict(rule, tmp_path: Path) -> None:
    (tmp_path / "fails").mkdir()
    (tmp_path / "fails" / "main.tf").write_text(example(rule, "Fails"))
    (tmp_path / "passes" / "modules" / "api").mkdir(parents=True)
    (tmp_path / "passes" / "main.tf").write_text(example(rule, "Passes"))
    (tmp_path / "passes" / "modules" / "api" / "main.tf").write_text("# the module's own resources\n")
    assert {line.split()[0] for line in verdicts(rule, tmp_path / "fails")} == {"unknown"}
    assert verdicts(rule, tmp_path / "passes") == []


def test_every_rule_is_covered() -> None:
    assert len(RULES) >= 23 and all(rule.rule.id.startswith("GA") for rule in RULES)
