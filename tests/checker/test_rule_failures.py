"""A rule that raises is an error naming the rule and the block it was judging, at that block's file and line."""

from __future__ import annotations

from pathlib import Path

from gateaudit.engine import run_rules
from gateaudit.modules import load
from gateaudit.result import RuleFailure, Severity
from gateaudit.rules import LoadedRule, Rule

RULE = Rule(id="TEAM010", control="team", severity=Severity.LOW, title="t", rationale="r", remediation="f")
FIXTURE = Path(__file__).resolve().parents[1] / "rules" / "GA101" / "pass_for_each_methods.tf"


def _failure(check) -> RuleFailure:
    stack, errors = load([FIXTURE])
    assert not errors
    _, failures = run_rules(stack, [LoadedRule(RULE, check, __name__)])
    assert len(failures) == 1 and isinstance(failures[0], RuleFailure)
    return failures[0]


def test_the_block_a_loop_of_check_holds_is_named():
    def check(stack):
        for method in stack.resources("aws_api_gateway_method"):
            if method.instance_key == "POST":
                raise ValueError("boom")
            yield RULE.passed(method, "judged")

    failure = _failure(check)
    assert failure.resource == 'aws_api_gateway_method.items["POST"]'
    assert (failure.file, failure.rule_id, failure.control) == ("pass_for_each_methods.tf", "TEAM010", "team")
    assert "while judging aws_api_gateway_method.items[\"POST\"]: ValueError: boom" in failure.message
    assert failure.not_judged() == f'TEAM010 failed on aws_api_gateway_method.items["POST"] ' \
                                   f"(pass_for_each_methods.tf:{failure.line})"


def test_with_no_block_in_hand_the_last_one_judged_is_named():
    def check(stack):
        yield from (RULE.passed(m, "judged") for m in stack.resources("aws_api_gateway_method")[:1])
        raise ValueError("boom")

    failure = _failure(check)
    assert failure.resource == 'aws_api_gateway_method.items["DELETE"]' and "after judging" in failure.message


def test_before_any_block_it_says_so():
    def check(stack):
        raise ValueError("boom")
        yield

    failure = _failure(check)
    assert (failure.resource, failure.file, failure.line) == (None, None, None)
    assert failure.not_judged() == "TEAM010 failed before it judged any block"
