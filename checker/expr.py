"""Terraform expressions as a small syntax tree.

The parser turns python-hcl2's tree (and `.tf.json` strings) into these nodes; the evaluator gives
them values. Every node keeps the 1-based line it starts on.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from operator import attrgetter
from typing import Any


@dataclass(frozen=True, slots=True)
class Expr:
    line: int


@dataclass(frozen=True, slots=True)
class Literal(Expr):
    value: Any  # str, int, float, bool or None


@dataclass(frozen=True, slots=True)
class Template(Expr):
    """A string with interpolations: parts are literal text or expressions."""

    parts: tuple[str | Expr, ...]


@dataclass(frozen=True, slots=True)
class GetAttr:
    name: str


@dataclass(frozen=True, slots=True)
class Index:
    key: Expr


@dataclass(frozen=True, slots=True)
class Splat:
    """`[*]` or `.*`: the steps after it apply to every element."""


Step = GetAttr | Index | Splat


@dataclass(frozen=True, slots=True)
class Traversal(Expr):
    """`root.step.step`: a reference (`var.x`, `aws_lambda_function.f.arn`) or an access into a value."""

    root: str | Expr
    steps: tuple[Step, ...]

    def dotted(self) -> str:
        """The reference as written, up to the first computed index: `aws_x.y[0].arn`."""
        text = self.root if isinstance(self.root, str) else "(expression)"
        for step in self.steps:
            if isinstance(step, GetAttr):
                text += f".{step.name}"
            elif isinstance(step, Splat):
                text += "[*]"
            elif isinstance(step.key, Literal):
                key = step.key.value
                text += f'["{key}"]' if isinstance(key, str) else f"[{key}]"
            else:
                text += "[…]"
        return text


@dataclass(frozen=True, slots=True)
class Call(Expr):
    name: str  # "jsonencode", or "provider::aws::arn_parse" for provider-defined functions
    args: tuple[Expr, ...]
    expand_last: bool = False  # f(list...)


@dataclass(frozen=True, slots=True)
class Conditional(Expr):
    condition: Expr
    if_true: Expr
    if_false: Expr


@dataclass(frozen=True, slots=True)
class TupleExpr(Expr):
    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class ObjectExpr(Expr):
    items: tuple[tuple[Expr, Expr], ...]


@dataclass(frozen=True, slots=True)
class BinaryOp(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class UnaryOp(Expr):
    op: str
    operand: Expr


@dataclass(frozen=True, slots=True)
class ForExpr(Expr):
    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None  # set for `{for ... : k => v}`
    value: Expr
    condition: Expr | None
    grouping: bool = False  # `v...` in an object for-expression


@dataclass(frozen=True, slots=True)
class Unsupported(Expr):
    """Syntax the evaluator does not model (template directives); evaluates to unknown."""

    what: str


def operator_chain(expr: BinaryOp) -> tuple[Expr, list[BinaryOp]]:
    """A chain of binary operators (`a + b - c`, parsed as `((a + b) - c)`) as its first operand and each
    operator applied after it, in order: found in a loop, so a chain of thousands of terms (valid HCL, one
    level deep) costs no recursion."""
    links = []
    node: Expr = expr
    while isinstance(node, BinaryOp):
        links.append(node)
        node = node.left
    links.reverse()
    return node, links


def walk(expr: Expr):
    """Yield the expression and every expression inside it."""
    stack = [expr]
    while stack:
        node = stack.pop()
        yield node
        match node:
            case Template(parts=parts):
                stack.extend(p for p in parts if isinstance(p, Expr))
            case Traversal(root=root, steps=steps):
                if isinstance(root, Expr):
                    stack.append(root)
                stack.extend(s.key for s in steps if isinstance(s, Index))
            case Call(args=args):
                stack.extend(args)
            case Conditional(condition=c, if_true=t, if_false=f):
                stack.extend((c, t, f))
            case TupleExpr(items=items):
                stack.extend(items)
            case ObjectExpr(items=items):
                for k, v in items:
                    stack.extend((k, v))
            case BinaryOp(left=left, right=right):
                stack.extend((left, right))
            case UnaryOp(operand=operand):
                stack.append(operand)
            case ForExpr(collection=coll, key=k, value=v, condition=cond):
                stack.extend(e for e in (coll, k, v, cond) if e is not None)



def pickle_by_fields(*classes: type) -> None:
    """Pickle each of `classes` (dataclasses without keyword-only fields) as the class and its fields' values,
    made again by its __init__.

    A slotted dataclass otherwise pickles its fields as a state set one field at a time, through Python loops
    over `fields()` when it is frozen; a parse cache entry holds thousands of nodes, and the pool sends each
    file's nodes back to the parent."""
    for cls in classes:
        _ARGUMENTS[cls] = _arguments(tuple(field.name for field in fields(cls)))
        cls.__reduce__ = _reduce  # type: ignore[method-assign]


_ARGUMENTS: dict[type, Any] = {}


def _reduce(node: object) -> tuple:
    return type(node), _ARGUMENTS[type(node)](node)


def _arguments(names: tuple[str, ...]):
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        return lambda node: (getattr(node, names[0]),)
    return lambda node: ()


pickle_by_fields(Literal, Template, GetAttr, Index, Splat, Traversal, Call, Conditional, TupleExpr, ObjectExpr,
                 BinaryOp, UnaryOp, ForExpr, Unsupported)
