"""A variable's type constraint (`type = map(object({ path = string, auth = optional(string, "NONE") }))`)
and the conversion Terraform puts every value given to the variable through: its default, a tfvars value or
a module call's argument.

What the conversion changes is what rules see: an attribute an object type declares `optional(T)` and the
caller omits is null, `optional(T, default)` gives the default (through nested objects, collections and tuples,
and inside an optional attribute's own default), an attribute the type does not declare is dropped, and a
number or bool given for a string becomes a string. An unknown stays unknown, wherever it is. A type
gateaudit cannot read (`read_type` gives None) leaves the value as it was given, as does a value that does not
fit its type: Terraform would reject it, and guessing would hide what was written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .expr import Call, Expr, Literal, ObjectExpr, Traversal, TupleExpr
from .model import Unknown, contains_unknown
from .parse import ParseError, parse_expression
from .values import EvalError, as_number, to_string

_PRIMITIVES = ("string", "number", "bool")
_COLLECTIONS = ("list", "set", "map")


@dataclass(frozen=True)
class Primitive:
    name: str  # string, number or bool


@dataclass(frozen=True)
class AnyType:
    """`any`: the value keeps the type it was given with."""


@dataclass(frozen=True)
class Collection:
    kind: str  # list, set or map
    element: TypeSpec


@dataclass(frozen=True)
class ObjectAttribute:
    type: TypeSpec
    optional: bool = False
    default: Expr | None = None  # optional(T, default): evaluated where the variable is declared


@dataclass(frozen=True)
class ObjectType:
    attributes: tuple[tuple[str, ObjectAttribute], ...]


@dataclass(frozen=True)
class TupleType:
    elements: tuple[TypeSpec, ...]


TypeSpec = Primitive | AnyType | Collection | ObjectType | TupleType


def read_type(expr: Expr) -> TypeSpec | None:
    """The type constraint a `type` argument writes; None where gateaudit cannot read it. In `.tf.json` the
    constraint is a string holding the expression."""
    if isinstance(expr, Literal) and isinstance(expr.value, str):
        try:
            expr = parse_expression(expr.value, expr.line)
        except ParseError:
            return None
    return _read(expr)


def _read(expr: Expr) -> TypeSpec | None:
    if isinstance(expr, Traversal) and isinstance(expr.root, str) and not expr.steps:
        if expr.root in _PRIMITIVES:
            return Primitive(expr.root)
        if expr.root == "any":
            return AnyType()
        if expr.root in _COLLECTIONS:  # `list` alone is `list(any)`
            return Collection(expr.root, AnyType())
        return None
    if not isinstance(expr, Call) or len(expr.args) != 1 or expr.expand_last:
        return None
    (arg,) = expr.args
    if expr.name in _COLLECTIONS:
        element = _read(arg)
        return None if element is None else Collection(expr.name, element)
    if expr.name == "object" and isinstance(arg, ObjectExpr):
        return _read_object(arg)
    if expr.name == "tuple" and isinstance(arg, TupleExpr):
        elements = [_read(item) for item in arg.items]
        return None if None in elements else TupleType(tuple(elements))  # type: ignore[arg-type]
    return None


def _read_object(expr: ObjectExpr) -> ObjectType | None:
    attributes: list[tuple[str, ObjectAttribute]] = []
    for key, value in expr.items:
        if isinstance(key, Literal) and isinstance(key.value, str):
            name = key.value
        elif isinstance(key, Traversal) and isinstance(key.root, str) and not key.steps:
            name = key.root
        else:
            return None
        if isinstance(value, Call) and value.name == "optional" and 1 <= len(value.args) <= 2:
            inner = _read(value.args[0])
            attribute = None if inner is None else ObjectAttribute(
                inner, optional=True, default=value.args[1] if len(value.args) == 2 else None)
        else:
            inner = _read(value)
            attribute = None if inner is None else ObjectAttribute(inner)
        if attribute is None:
            return None
        attributes.append((name, attribute))
    return ObjectType(tuple(attributes))


def convert(value: Any, spec: TypeSpec, default_of: Callable[[Expr], Any], step: Callable[[], None]) -> Any:
    """`value` as Terraform converts it to the type `spec`. `default_of` evaluates an optional attribute's
    default; `step` counts each value converted against the evaluation budget (defaults can multiply a value)."""
    step()
    if isinstance(value, Unknown) or value is None or isinstance(spec, AnyType):
        return value  # a null of any type stays null: defaults apply inside an object, never instead of it
    if isinstance(spec, Primitive):
        return _primitive(value, spec.name)
    if isinstance(spec, Collection):
        if spec.kind == "map" and isinstance(value, dict):
            return {key: convert(item, spec.element, default_of, step) for key, item in value.items()}
        if spec.kind != "map" and isinstance(value, list):
            items = [convert(item, spec.element, default_of, step) for item in value]
            if spec.kind == "set" and not contains_unknown(items) and all(
                    isinstance(item, str | int | float | bool) for item in items):
                items = list(dict.fromkeys(items))  # a set holds each value once
            return items
        return value
    if isinstance(spec, TupleType):
        if isinstance(value, list) and len(value) == len(spec.elements):
            pairs = zip(value, spec.elements, strict=True)
            return [convert(item, element, default_of, step) for item, element in pairs]
        return value
    if isinstance(value, dict):
        return _object(value, spec, default_of, step)
    return value


def _object(value: dict[str, Any], spec: ObjectType, default_of: Callable[[Expr], Any],
            step: Callable[[], None]) -> dict[str, Any]:
    converted: dict[str, Any] = {}
    for name, attribute in spec.attributes:
        given = value.get(name)
        if given is None and attribute.optional and attribute.default is not None:
            given = default_of(attribute.default)  # omitted or null: the default, itself converted below
        elif given is None and name not in value and not attribute.optional:
            continue  # a required attribute left out: Terraform rejects the value; a reference to it is an error
        converted[name] = convert(given, attribute.type, default_of, step)
    return converted  # attributes the type does not declare are dropped, as Terraform's conversion does


def _primitive(value: Any, name: str) -> Any:
    try:
        if name == "string" and isinstance(value, bool | int | float):
            return to_string(value)
        if name == "number" and isinstance(value, str):
            return as_number(value)
        if name == "bool" and value in ("true", "false"):
            return value == "true"
    except EvalError:
        pass  # not a number: Terraform would reject it; kept as it was given
    return value
