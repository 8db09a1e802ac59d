"""The rule contract, checked for every built-in rule rather than kept as a habit (docs/STYLE.md, CONTRIBUTING.md).

Each rule: an id `GA` + three digits whose hundreds digit is its control; a module `ga<NNN>_<words>` of that id; a
fixture folder `tests/rules/<ID>/` with pass and fail cases; a docstring with the five sections; a title, a
rationale and a remediation. And no module in `rules/` reaches below the model: rules judge what the model says
about values, never the expressions that wrote them.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest

import gateaudit.rules
from gateaudit.rules import CONTROLS, load_rules
from gateaudit.rules._unscanned import RULE_IDS as COVERAGE

FIXTURES = Path(__file__).resolve().parent
RULES_DIR = Path(gateaudit.rules.__file__).resolve().parent
RULES = load_rules()
CONTROL_BY_DIGIT = {"1": "authorizer-attached", "2": "secret-not-hardcoded", "3": "scoped-permission",
                    "4": "logging-enabled"}
SECTIONS = ("What it checks", "Why it matters", "Fails", "Passes", "Fix")


def by_id(rule) -> str:
    return rule.rule.id


@pytest.mark.parametrize("rule", RULES, ids=by_id)
def test_id_control_and_module_name_agree(rule) -> None:
    rule_id = rule.rule.id
    assert re.fullmatch(r"GA\d{3}", rule_id), f"{rule_id}: an id is GA and three digits"
    assert rule.rule.control == CONTROL_BY_DIGIT.get(rule_id[2]), (
        f"{rule_id}: the hundreds digit {rule_id[2]} is control {CONTROL_BY_DIGIT.get(rule_id[2])}, "
        f"not {rule.rule.control}")
    assert rule.rule.control in CONTROLS
    module = rule.check.__module__.rsplit(".", 1)[-1]
    assert re.fullmatch(rf"{rule_id.lower()}(_[a-z0-9]+)+", module), (
        f"{rule_id}: module {module} should be named {rule_id.lower()}_<what_is_checked>")


@pytest.mark.parametrize("rule", RULES, ids=by_id)
def test_fixture_folder_has_pass_and_fail_cases(rule) -> None:
    folder = FIXTURES / rule.rule.id
    assert folder.is_dir(), f"{rule.rule.id}: no fixture folder tests/rules/{rule.rule.id}/"
    names = [entry.name for entry in folder.iterdir()]
    assert any(name.startswith("pass_") for name in names), f"{rule.rule.id}: no pass_ fixture"
    # A coverage rule judges no resource: it is unknown for a module call it did not read, and judges nothing
    # when every module was read. So it needs an unknown_ case (an unread module) and a pass_ case (every module
    # read, `# expect: nothing`), and has no fail_ case: it never fails.
    wanted = "unknown_" if rule.rule.id in COVERAGE else "fail_"
    assert any(name.startswith(wanted) for name in names), f"{rule.rule.id}: no {wanted} fixture"
    if rule.rule.id in COVERAGE:
        assert not any(name.startswith("fail_") for name in names), f"{rule.rule.id} never fails: no fail_ case"


@pytest.mark.parametrize("rule", RULES, ids=by_id)
def test_docstring_has_its_sections_and_metadata_is_filled(rule) -> None:
    doc = sys.modules[rule.check.__module__].__doc__ or ""
    assert doc.startswith(f"{rule.rule.id}: "), f"{rule.rule.id}: the docstring's first line starts with the id"
    headings = re.findall(r"^\*\*(.+?)\*\*$", doc, re.MULTILINE)
    missing = [section for section in SECTIONS if section not in headings]
    assert not missing, f"{rule.rule.id}: docstring lacks {missing}"
    assert [h for h in headings if h in SECTIONS] == list(SECTIONS), f"{rule.rule.id}: sections out of order"
    for section in SECTIONS:
        body = re.search(rf"^\*\*{section}\*\*\n(.*?)(?=^\*\*|\Z)", doc, re.MULTILINE | re.DOTALL).group(1)
        assert body.strip(), f"{rule.rule.id}: **{section}** is empty"
    for name in ("title", "rationale", "remediation"):
        assert getattr(rule.rule, name).strip(), f"{rule.rule.id}: {name} is empty"


def test_every_rule_module_is_a_loaded_rule() -> None:
    modules = {path.stem for path in RULES_DIR.glob("ga*.py")}
    assert modules == {rule.check.__module__.rsplit(".", 1)[-1] for rule in RULES}


# What a rule may import of gateaudit: the model and its queries, results, settings, and rules/ itself.
MODEL_INTERFACE = ("gateaudit.model", "gateaudit.provenance", "gateaudit.authorizer_code", "gateaudit.result",
                   "gateaudit.settings", "gateaudit.rules")
FORBIDDEN_ATTRIBUTES = ("syntax", "expr")


def forbidden(module: str) -> str:
    """What kind of module a rule may not import, or ""."""
    if re.fullmatch(r"gateaudit\.rules\.ga\d{3}\w*(\.\w+)?", module):
        return "rule module"
    if module.startswith("gateaudit.") and not any(module == name or module.startswith(name + ".")
                                                   for name in MODEL_INTERFACE):
        return "module below the model"
    return ""


def reaches_below_the_model(path: Path) -> list[str]:
    """What one module of rules/ imports or reads that a rule may not: the expression layer, another rule."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            package = ["gateaudit", "rules"][:max(0, 3 - node.level)] if node.level else []
            base = ".".join(package + ([node.module] if node.module else []))
            names = [base] if forbidden(base) else [f"{base}.{alias.name}" for alias in node.names]
        for name in names:
            if forbidden(name):
                found.append(f"{path.name}:{node.lineno}: imports {forbidden(name)} {name}")
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            found.append(f"{path.name}:{node.lineno}: reads .{node.attr}")
    return sorted(set(found), key=lambda line: (line.split(":")[0], int(line.split(":")[1])))


def test_reaches_below_the_model_sees_what_it_should(tmp_path: Path) -> None:
    rule = tmp_path / "ga999_example.py"
    rule.write_text("from gateaudit import expr\nfrom gateaudit.evaluate import evaluate\nimport gateaudit.parse\n"
                    "from .. import expr as e\nfrom .ga104_x import HEADER\nfrom . import ga104_x\n"
                    "from gateaudit.model import Stack\nfrom . import Rule\nx = block.syntax\ny = attr.expr\n")
    assert reaches_below_the_model(rule) == [
        "ga999_example.py:1: imports module below the model gateaudit.expr",
        "ga999_example.py:2: imports module below the model gateaudit.evaluate",
        "ga999_example.py:3: imports module below the model gateaudit.parse",
        "ga999_example.py:4: imports module below the model gateaudit.expr",
        "ga999_example.py:5: imports rule module gateaudit.rules.ga104_x",
        "ga999_example.py:6: imports rule module gateaudit.rules.ga104_x",
        "ga999_example.py:9: reads .syntax", "ga999_example.py:10: reads .expr"]


def test_no_rule_module_reaches_below_the_model() -> None:
    """Every module of rules/ (rules, helpers, __init__) imports of gateaudit only the model, its provenance
    queries, results and settings, never a rule module, and reads no `.syntax` or `.expr`: what a rule
    judges, any source can build."""
    offenders = [line for path in sorted(RULES_DIR.glob("*.py")) for line in reaches_below_the_model(path)]
    assert not offenders, "rules/ reaches below the model:\n  " + "\n  ".join(offenders)
