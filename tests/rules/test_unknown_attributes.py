"""Every rule survives any argument it reads being unknown: it gives a verdict, never a crash.

For every rule fixture, each argument of each block is in turn rewritten to `var.gateaudit_unset` (a variable
that is not declared, so its value is an `Unknown`) and every rule runs on the stack (about 2,000 runs, a few
seconds). No rule may raise. And what a rule found wrong or could not judge with the argument known is still in
its report with the argument unknown: the block is still judged (any status), or the rule now reports another
block as failed or unknown (GA405 judges the function when it cannot tell which log group is its own). A failed
block that drops out of the report because one of its arguments cannot be resolved is a silent pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from gateaudit.engine import run_rules
from gateaudit.model import Block, Stack, Unknown
from gateaudit.modules import load
from gateaudit.parse import parse_expression
from gateaudit.result import Status
from gateaudit.rules import load_rules

FIXTURES = Path(__file__).resolve().parent
RULES = load_rules()
# Meta-arguments shape which blocks exist (and their addresses), not what a rule judges of them.
META = {"count", "for_each", "depends_on", "provider", "providers", "source", "version", "lifecycle"}
UNSET = parse_expression("var.gateaudit_unset", 1)


def _cases() -> list:
    return [pytest.param(case, id=f"{rule_dir.name}/{case.name}")
            for rule_dir in sorted(p for p in FIXTURES.iterdir() if p.is_dir() and p.name.startswith("GA"))
            for case in sorted(rule_dir.iterdir()) if case.name.startswith(("pass_", "fail_", "unknown_"))]


def _every_block(stack: Stack) -> Iterator[Block]:
    pending = list(stack.blocks())
    while pending:
        block = pending.pop()
        yield block
        pending.extend(block.nested)


def _targets(stack: Stack) -> list[tuple[str, str, int, str]]:
    """(address, path of nested block, line, argument) of every argument of the stack, in a stable order."""
    found = {(block.address, block.path, block.location.line, name)
             for block in _every_block(stack) if block.kind != "variable"
             for name in block.attributes if name not in META}
    return sorted(found)


def _make_unknown(stack: Stack, target: tuple[str, str, int, str]) -> bool:
    address, path, line, name = target
    for block in _every_block(stack):
        if (block.address, block.path, block.location.line) == (address, path, line) and name in block.attributes:
            attribute = block.attributes[name]
            if attribute.expr is None:  # given outright by a source (an OpenAPI body): its value is all there is
                attribute.value = Unknown("var.gateaudit_unset is not declared", ("var.gateaudit_unset",))
                attribute.references = ()
                return True
            attribute.expr = UNSET
            # The value and references were computed from the old expression, maybe already: compute them again.
            for cached in ("value", "references"):
                attribute.__dict__.pop(cached, None)
            return True
    return False


def _judged(results: list) -> set[tuple[str, str]]:
    return {(r.rule_id, r.resource) for r in results}


def _not_passed(results: list) -> set[tuple[str, str]]:
    return {(r.rule_id, r.resource) for r in results if r.status in (Status.FAILED, Status.UNKNOWN)}


@pytest.mark.parametrize("case", _cases())
def test_every_argument_unknown_in_turn(case: Path) -> None:
    stack, errors = load([case])
    assert not errors, [str(e) for e in errors]
    before, rule_errors = run_rules(stack, RULES)
    assert not rule_errors, [str(e) for e in rule_errors]
    problems = []
    for target in _targets(stack):
        changed, _ = load([case])
        assert _make_unknown(changed, target), target
        after, rule_errors = run_rules(changed, RULES)
        where = f"{target[0]}{'.' + target[1] if target[1] else ''}.{target[3]} unknown"
        problems.extend(f"{where}: {error.message}" for error in rule_errors)
        moved = {rule_id for rule_id, _ in _not_passed(after) - _not_passed(before)}
        problems.extend(f"{where}: {rule_id} no longer reports {resource}"
                        for rule_id, resource in sorted(_not_passed(before) - _judged(after)) if rule_id not in moved)
    assert problems == []
