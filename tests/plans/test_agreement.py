"""A plan and the HCL it was made from get the same verdicts, at the same lines (issue 16).

For every fixture that has both forms (the plans and the state terraform wrote, in this folder, beside the
configuration they came from), each (rule, address) has the same status from the HCL and from the plan, and a
result the two share points at the same file and line when the plan's configuration is given. Where they
differ, `differences.tsv` lists the difference and why (the plan knows more); a listed difference that no
longer occurs fails too, so the list stays true.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from gateaudit.engine import run_rules
from gateaudit.modules import load
from gateaudit.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
RULES = load_rules()

# fixture -> (its plan or state, the configuration it was made from, --skip-path patterns for the HCL scan)
PAIRS = {
    "rest": ("rest.plan.json", ROOT / "stack" / "terraform" / "rest", ()),
    "http": ("http.plan.json", ROOT / "stack" / "terraform" / "http", ()),
    "seed": ("seed.plan.json", ROOT / "stack" / "examples" / "seed", ()),
    "for_each_modules": ("for_each_modules.plan.json", HERE / "for_each_modules", ()),
    # module_repo/ is the git repository the root's source names, not a root of its own
    "registry_module": ("registry_module.plan.json", HERE / "registry_module", ("module_repo",)),
    "deleted_logging": ("deleted_logging.plan.json", HERE / "deleted_logging" / "v2", ()),
    "rest_state": ("rest.state.json", ROOT / "stack" / "terraform" / "rest", ()),
}


def _listed() -> dict[tuple[str, str, str], tuple[str, str, str]]:
    with (HERE / "differences.tsv").open(encoding="utf-8") as file:
        rows = [row for row in csv.reader(file, delimiter="\t") if row and not row[0].startswith("#")]
    return {(fixture, rule, address): (hcl, plan, why) for fixture, rule, address, hcl, plan, why in rows}


LISTED = _listed()


def _results(paths: list[Path], **options) -> dict[tuple[str, str], tuple[str, Path, int]]:
    """(rule, address) -> (status, the file as an absolute path, line) of every result."""
    stack, errors = load(paths, repository=ROOT, use_cache=False, **options)
    assert errors == []
    results, rule_errors = run_rules(stack, RULES)
    assert rule_errors == []
    base = paths[0] if paths[0].is_dir() else paths[0].parent
    return {(r.rule_id, r.resource): (r.status.value, (base / r.file).resolve(), r.line) for r in results}


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


@pytest.mark.parametrize("fixture", sorted(PAIRS))
def test_the_plan_gets_the_verdicts_of_its_configuration_at_its_lines(fixture):
    name, config, skip = PAIRS[fixture]
    hcl = _results([config], skip=skip)
    plan = _results([HERE / name], config_dir=config)
    differences = {}
    for key in sorted(set(hcl) | set(plan)):
        from_hcl = hcl[key][0] if key in hcl else "-"
        from_plan = plan[key][0] if key in plan else "-"
        if from_hcl != from_plan:
            differences[(fixture, *key)] = (from_hcl, from_plan)
        elif hcl[key][1:] != plan[key][1:]:
            differences[(fixture, *key)] = (f"{from_hcl} at {_shown(hcl[key][1])}:{hcl[key][2]}",
                                            f"{from_plan} at {_shown(plan[key][1])}:{plan[key][2]}")
    listed = {key: statuses[:2] for key, statuses in LISTED.items() if key[0] == fixture}
    assert differences == listed, ("a difference not in differences.tsv, or one listed there that is gone; after "
                                   "changing stack/ or a fixture's configuration, regenerate the JSON first: "
                                   ".venv/bin/python scripts/make_plans.py")


def test_every_listed_difference_says_why():
    assert LISTED
    for key, (_, _, why) in LISTED.items():
        assert len(why.split()) >= 6, key
