"""Shared logging questions: a stage's access log destination, and whether two names are the same text.

Names built from variables are often Unknown on both sides (`"/aws/lambda/${var.name}"` and
`"${var.name}"`); `same_text` compares what is known of them without ever guessing equal.
"""

from __future__ import annotations

import re
from typing import Any

from gateaudit.model import Attribute, Block, Stack, Unknown
from gateaudit.provenance import built_by
from gateaudit.result import Result

from . import Rule

DESTINATION_TYPES = ("aws_cloudwatch_log_group", "aws_kinesis_firehose_delivery_stream")
_DESTINATION_ARN = re.compile(r"arn:aws[a-z-]*:(logs|firehose):")


def being_destroyed(stack: Stack, types: tuple[str, ...], argument: str, value: Any) -> Block | None:
    """The resource of `types` a plan destroys whose `argument` was `value` (a known string), if there is one:
    what remains is judged, and its message says what the plan takes away."""
    if not isinstance(value, str):
        return None
    return next((b for b in stack.destroyed if b.type in types and b.value(argument) == value), None)


def access_log_result(rule: Rule, stage: Block, stack: Stack) -> Result:
    """One verdict on a stage's `access_log_settings`: present, with a destination that can take logs."""
    settings = stage.blocks("access_log_settings")
    if not settings:
        return rule.failed(stage, "has no access_log_settings block, so API Gateway writes no access log for "
                           "it; add one with destination_arn = aws_cloudwatch_log_group.<name>.arn",
                           "access_log_settings")
    block = settings[0]
    if block.expansion is not None:
        return rule.unknown(stage, f"access_log_settings comes from a {block.expansion.reason}",
                            "access_log_settings")
    attribute = block.get("destination_arn")
    if attribute is None:
        return rule.failed(stage, "access_log_settings has no destination_arn; set it to "
                                  "aws_cloudwatch_log_group.<name>.arn", "access_log_settings")
    value = attribute.value
    if isinstance(value, Unknown):
        # An ARN known only after apply decides when it is all the value depends on.
        arns = {f"{r.block.address}.arn": r.block for r in attribute.references if r.attribute == "arn"}
        if not value.refs or not all(ref in arns for ref in value.refs):
            return rule.unknown(stage, f"destination_arn cannot be resolved: {value.reason}", attribute)
        wrong = [arns[ref] for ref in value.refs if arns[ref].type not in DESTINATION_TYPES]
        if wrong:
            return rule.failed(stage, f"destination_arn is the ARN of {wrong[0].address}; API Gateway writes "
                               "access logs only to a CloudWatch Logs group or Firehose stream: use "
                               "aws_cloudwatch_log_group.<name>.arn", attribute)
        return rule.passed(stage, f"access logs go to {arns[value.refs[0]].address}", attribute)
    gone = being_destroyed(stack, DESTINATION_TYPES, "arn", value)
    if gone is not None:
        return rule.failed(stage, f"the stage's access log destination {gone.address} is being destroyed by this "
                           "plan, and destination_arn still names it, so API Gateway writes no access log; keep "
                           "the log group, or point destination_arn at another one", attribute)
    if isinstance(value, str) and _DESTINATION_ARN.match(value):
        return rule.passed(stage, f"access logs go to {value}", attribute)
    shown = "null" if value is None else f'"{value}"' if isinstance(value, str) else "not a string"
    return rule.failed(stage, f"destination_arn is {shown}, not the ARN of a CloudWatch Logs group or "
                       "Firehose stream, so API Gateway refuses it and writes no access log; use "
                       "aws_cloudwatch_log_group.<name>.arn", attribute)


def implicit_stage(deployment: Block) -> Attribute | None:
    """The `stage_name` of an `aws_api_gateway_deployment` that creates (or may create) a stage itself: set to a
    name or to a value that cannot be resolved; None when it is not set, null or empty (no stage is created)."""
    attribute = deployment.get("stage_name")
    value = attribute.value if attribute is not None else None
    if value is None or (isinstance(value, str) and not value):
        return None
    return attribute


def text_of(attribute: Attribute | None) -> tuple[str, bool] | None:
    """An argument's string value as (text, known), Unknown parts shown as `${ref}`; None when nothing is
    known of it (not set, not a string, or built by `format()`/`join()` around a value known later)."""
    value = attribute.value if attribute is not None else None
    if isinstance(value, str):
        return value, True
    if isinstance(value, Unknown):
        if isinstance(value.partial, str):
            return value.partial, False
        if value.refs and value.partial is None and built_by(attribute, value) is None:
            return "${" + value.refs[0] + "}", False
    return None


def same_text(first: tuple[str, bool] | None, second: tuple[str, bool] | None) -> bool | Unknown:
    """Are two texts from `text_of` the same string? True/False when it is certain, else Unknown."""
    if first is None or second is None:
        return Unknown("a name cannot be resolved")
    (a, a_known), (b, b_known) = first, second
    if a_known and b_known:
        return a == b
    if a == b and "${?}" not in a:
        return True  # the same literal text around the same unknown values
    head_a, head_b = a.split("${", 1)[0], b.split("${", 1)[0]
    tail_a = a if a_known else a.rsplit("}", 1)[-1]
    tail_b = b if b_known else b.rsplit("}", 1)[-1]
    if not (head_a.startswith(head_b) or head_b.startswith(head_a)):
        return False
    if not (tail_a.endswith(tail_b) or tail_b.endswith(tail_a)):
        return False
    return Unknown(f'cannot tell whether "{a}" and "{b}" are the same name')


def known_strings(value: Any, found: list[str]) -> bool:
    """Collect every string known inside a value (keys too); True when nothing in it is Unknown."""
    if isinstance(value, Unknown):
        if value.partial is not None:
            known_strings(value.partial, found)
        return False
    if isinstance(value, str):
        found.append(value)
        return True
    if isinstance(value, dict):
        found.extend(value)
        return all([known_strings(item, found) for item in value.values()])
    if isinstance(value, list | tuple):
        return all([known_strings(item, found) for item in value])
    return True
