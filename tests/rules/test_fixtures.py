"""Every rule fixture, run with its rule alone, gives exactly the results its annotations expect.

A fixture is `tests/rules/<RULE_ID>/{pass,fail,unknown}_<case>.tf` (or a folder of that name for cases
that need several files or modules). `# expect: <status> <address>` goes right above the line a result
is expected on, naming the Terraform address of the judged block (`aws_api_gateway_method.get`,
`module.api.aws_lambda_function.this["auth"]`, `var.api_key`); a judged block without an annotation is a mismatch,
and so is an annotation without an address. An OpenAPI spec file in YAML carries its annotations as comments; one
in JSON (no comments) is annotated from a `.tf` file naming the place: `# expect: failed <address> at openapi.json:12`.
The code rules' fixtures hold the authorizer's code beside the Terraform (`handler.py`, `handler.js`),
annotated the same way (`// expect:` in JavaScript). `# expect: nothing` (no address) says the rule judges
nothing in the fixture: the coverage rules (GA100...GA400) on a stack whose every module was read.
A fixture folder may carry its own `.gateaudit.toml`: its settings (rule options, `api-key-header`) apply to
that fixture, loaded as the CLI loads a config (`settings_of`).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from gateaudit.engine import run_rules
from gateaudit.modules import load
from gateaudit.rules import load_rules
from gateaudit.settings import Settings, of_folder

FIXTURES = Path(__file__).resolve().parent
EXPECT = re.compile(r"^\s*(?:#|//)\s*expect:\s*(passed|failed|unknown|suppressed|nothing)\b\s*(.+?)?\s*$")
PLACED = re.compile(r"^(.+?)\s+at\s+(\S+\.json):(\d+)$")
MALFORMED = re.compile(r"^\s*(?:#|//)\s*expect\b")
RULES = {loaded.rule.id: loaded for loaded in load_rules()}
# Files that carry annotations: Terraform, OpenAPI specs in YAML, and an authorizer's code (GA107-GA110, GA209, GA407)
ANNOTATED = (".tf", ".tf.json", ".tfvars", ".yaml", ".yml", ".py", ".js", ".mjs", ".cjs", ".ts")


def _cases() -> list:
    cases = []
    for rule_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and re.fullmatch(r"GA\d{3}", p.name)):
        for case in sorted(rule_dir.iterdir()):
            if case.name.startswith(("pass_", "fail_", "unknown_")):
                cases.append(pytest.param(rule_dir.name, case, id=f"{rule_dir.name}/{case.name}"))
    return cases


def settings_of(case: Path) -> Settings:
    """The settings of a fixture folder's own `.gateaudit.toml`, through the CLI's config loading; else the defaults."""
    return of_folder(case, RULES.values()) if case.is_dir() else Settings()


def expectations(case: Path) -> Counter:
    base = case if case.is_dir() else case.parent
    files = sorted(case.rglob("*")) if case.is_dir() else [case]
    expected: Counter = Counter()
    for file in files:
        if not file.is_file() or not file.name.endswith(ANNOTATED):
            continue
        pending: list[tuple[str, str | None]] = []
        for number, line in enumerate(file.read_text().splitlines(), start=1):
            match = EXPECT.match(line)
            assert match or not MALFORMED.match(line), f"{file.name}:{number}: malformed annotation {line!r}"
            if match:
                needs_address = match.group(1) != "nothing"
                assert bool(match.group(2)) == needs_address, (
                    f"{file.name}:{number}: malformed annotation {line!r}: "
                    + ("name the judged block's address" if needs_address else "'nothing' takes no address"))
                pending.append((match.group(1), match.group(2)))
                continue
            if line.strip().startswith(("#", "//")) and pending:
                continue
            relative = file.relative_to(base).as_posix()
            for status, address in pending:
                placed = PLACED.match(address or "")
                if placed:  # a result in a file that cannot hold comments
                    expected[(placed.group(2), int(placed.group(3)), status, placed.group(1))] += 1
                else:
                    expected[(relative, number, status, address)] += 1
            pending = []
    return expected


@pytest.mark.parametrize(("rule_id", "case"), _cases())
def test_fixture(rule_id: str, case: Path) -> None:
    stack, errors = load([case])
    assert not errors, [str(e) for e in errors]
    results, rule_errors = run_rules(stack, [RULES[rule_id]], settings_of(case))
    assert not rule_errors, [str(e) for e in rule_errors]
    expected = expectations(case)
    assert expected, f"{case.name} has no '# expect:' annotation"
    if any(status == "nothing" for _, _, status, _ in expected):
        assert {key[2] for key in expected} == {"nothing"}, "'# expect: nothing' stands alone in its fixture"
        assert case.name.startswith("pass_"), "only a pass_ fixture expects nothing"
        assert not results, [f"{r.status.value} {r.resource} {r.file}:{r.line}: {r.message}" for r in results]
        return
    actual = Counter((r.file, r.line, r.status.value, r.resource) for r in results)
    messages = "\n".join(f"  {r.status.value} {r.resource} {r.file}:{r.line}: {r.message}" for r in results)
    assert actual == expected, f"results:\n{messages}"
    prefix = case.name.split("_")[0]
    statuses = {key[2] for key in expected}
    wanted = {"pass": "passed", "fail": "failed", "unknown": "unknown"}[prefix]
    assert wanted in statuses, f"a {prefix}_ fixture must expect at least one {wanted} result"
    for result in results:
        assert result.message, "every result says something about its resource"


def test_every_rule_runs_on_every_fixture_without_raising() -> None:
    """Rules meet each other's fixtures too: odd but valid shapes must give verdicts, never a crash."""
    every_rule = list(RULES.values())
    crashes = []
    for param in _cases():
        _, case = param.values
        stack, _ = load([case])
        _, rule_errors = run_rules(stack, every_rule)
        crashes.extend(f"{case.parent.name}/{case.name}: {e}" for e in rule_errors)
    assert crashes == []
