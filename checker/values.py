"""What every part of the evaluator shares about values: the errors an evaluation ends in, how a value is
named in a message, Terraform's conversions to string and number, and the size of a value once rendered.

Values are plain Python: str, int, float, bool, None, list, dict, and `Unknown` (possibly nested inside
lists and dicts). These are shared by `gateaudit.evaluate`, `gateaudit.functions` and `gateaudit.expansion`
alone; everything else evaluates through `gateaudit.evaluate`.
"""

from __future__ import annotations

import re
from typing import Any

from . import limits


class EvalError(Exception):
    """A definite error in an expression: Terraform itself would reject it."""


class NotEvaluated(Exception):
    """gateaudit stops short of a value Terraform would compute (a limit of gateaudit.limits): the expression is
    unknown, naming why. Unlike an EvalError, `try()` and `can()` do not catch it: Terraform would not fail."""


class TooLarge(NotEvaluated):
    """An evaluation over a step, size or budget limit: an unknown, never a hang."""


def rendered_size(value: Any) -> int:
    """String characters, or elements through every level of lists and maps, counted as a rendering would
    (a value shared by several parents once per parent), up to just past MAX_VALUE_SIZE; each shared value
    is walked once, so the count costs what the distinct values hold, not what they render to."""
    limit = limits.MAX_VALUE_SIZE
    sizes: dict[int, int] = {}

    def size(item: Any) -> int:
        if isinstance(item, str):
            return len(item)
        if not isinstance(item, list | dict):
            return 1
        known = sizes.get(id(item))
        if known is not None:
            return known
        total = len(item)
        for child in (item.values() if isinstance(item, dict) else item):
            total += size(child)
            if total > limit:
                break
        sizes[id(item)] = total
        return total

    try:
        return size(value)
    except RecursionError:
        return limit + 1


def shown(value: Any) -> str:
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "null"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a map"
    return type(value).__name__


def to_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    raise EvalError(f"cannot use {shown(value)} as a string")


def as_number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise EvalError(f"expected a number, not {shown(value)}")
    if isinstance(value, str):
        if re.fullmatch(r"-?\d+", value):
            if len(value.lstrip("-")) > limits.MAX_NUMBER_DIGITS:
                raise TooLarge(f"a number of more than {limits.MAX_NUMBER_DIGITS} digits: not evaluated")
            return int(value)
        try:
            return float(value)
        except ValueError:
            cut = value if len(value) <= 40 else value[:40] + "…"
            raise EvalError(f"{cut!r} is not a number") from None
    return value


def check_rendered(value: Any) -> None:
    if rendered_size(value) > limits.MAX_VALUE_SIZE:
        raise TooLarge(f"a value of more than {limits.MAX_VALUE_SIZE} elements or characters when rendered: "
                       "not evaluated")
