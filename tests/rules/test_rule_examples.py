"""Every rule's docstring examples are real Terraform that give the verdict they claim: run with its rule alone,
the **Fails** example fails it (at least one `failed` result) and the **Passes** example passes it (at least one
result, every one `passed`). An example is the indented block under its heading, cut at its first unindented line.
It is complete: every resource, data source, variable and local it refers to is declared in it, and all of them
pass `terraform validate` (offline, against the provider mirror tests/stack uses; skipped where there is none).

The coverage rules (GA100-GA400) judge no resource, so their examples are module calls: the **Fails** one (a
registry module that is not downloaded) is `unknown`, and the **Passes** one (a local module, whose folder the
test creates empty) gives nothing to judge.
"""

from __future__ import annotations

import importlib.util
import inspect
import json
import os
import re
import shutil
import subprocess
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


def _stack_terraform_helpers():
    """tests/stack/conftest.py's offline Terraform helpers (provider mirror, CLI config), imported by path."""
    path = Path(__file__).resolve().parents[1] / "stack" / "conftest.py"
    spec = importlib.util.spec_from_file_location("gateaudit_tests_stack_conftest", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)  # its dataclasses look themselves up there
    spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules[spec.name]


def test_every_example_is_valid_terraform(tmp_path: Path) -> None:
    """`terraform validate`, offline, on every example at once: each is a child module of one root. The coverage
    rules' Fails examples (a registry module, not installed on purpose) are left out. Skips without terraform or
    the provider mirror, as tests/stack does."""
    helpers = _stack_terraform_helpers()
    terraform, mirror = shutil.which("terraform"), helpers.find_provider_mirror()
    if terraform is None or mirror is None:
        pytest.skip("terraform or the offline hashicorp/aws mirror is missing (see tests/stack/conftest.py)")
    calls, left_out = [], []
    # The code rules' examples zip their handler with hashicorp/archive's data "archive_file": validated where the
    # mirror holds that provider too; this machine's mirror holds hashicorp/aws alone.
    archive = (mirror / "registry.terraform.io" / "hashicorp" / "archive").is_dir()
    for rule in RULES:
        for heading in ("Fails", "Passes"):
            if rule.rule.id in COVERAGE and heading == "Fails":
                continue
            name = f"{rule.rule.id.lower()}_{heading.lower()}"
            text = example(rule, heading)
            if 'data "archive_file"' in text and not archive:
                left_out.append(name)
                continue
            (tmp_path / name / "modules" / "api").mkdir(parents=True)
            (tmp_path / name / "main.tf").write_text(text)
            required = [variable for variable, default in
                        re.findall(r'^variable "(\w+)" \{\n((?:  .*\n)*?)\}', text, re.MULTILINE)
                        if "default" not in default]
            arguments = "".join(f'  {variable} = "set at apply time"\n' for variable in required)
            calls.append(f'module "{name}" {{\n  source = "./{name}"\n{arguments}}}\n')
    (tmp_path / "main.tf").write_text("\n".join(calls))
    if left_out:
        print(f"not validated, the provider mirror has no hashicorp/archive: {', '.join(left_out)}")
    config = tmp_path / "offline.tfrc"
    config.write_text(helpers.cli_config(mirror))
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(config), "TF_IN_AUTOMATION": "1", "TF_INPUT": "0",
           "CHECKPOINT_DISABLE": "1", "TF_DATA_DIR": str(tmp_path / ".terraform")}
    init = subprocess.run([terraform, "init", "-backend=false", "-input=false", "-no-color"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert init.returncode == 0, init.stdout + init.stderr
    done = subprocess.run([terraform, "validate", "-json"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    report = json.loads(done.stdout)
    problems = [f"{d.get('range', {}).get('filename')}:{d.get('range', {}).get('start', {}).get('line')}: "
                f"{d['severity']}: {d['summary']} {d.get('detail', '')}" for d in report.get("diagnostics", [])]
    assert report["valid"] and not problems, "\n".join(problems)
