"""Which unknown values a function built around a reference, so that they must not be read as the reference.

The evaluator keeps the result of `format("%s*", x.arn)`, `join(...)`, `concat([x.arn], ["*"])` or an
undecided conditional, when an argument is known only after apply, as an `Unknown` that names the
references and keeps no text (`partial` is None). Such a value looks exactly like the bare reference
`x.arn`; a rule that reads it as `${x.arn}` would take `format("%s*", x.arn)` for the ARN itself.

`built_by(attribute, value)` says what built an `Unknown` found in the argument's value (following locals,
module inputs and outputs, resource arguments and policy documents), or None when nothing did.

`flows_into(attribute)` walks the same references further, for masking a secret wherever it is written: every
expression whose value may become part of the argument's, through for expressions, function arguments,
variable defaults and tfvars values and dynamic block iterators too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from gateaudit.evaluate import evaluate
from gateaudit.expr import (
    BinaryOp,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    ObjectExpr,
    Template,
    Traversal,
    TupleExpr,
    UnaryOp,
    operator_chain,
    walk,
)
from gateaudit.model import Attribute, Block, Module, Scope, Unknown

# Functions that hand an unknown argument back as it is (jsonencode keeps the object as `partial`).
_KEEPS_ARGUMENT = {"try", "coalesce", "lookup", "merge", "jsonencode"}
_DOCUMENTS = ("aws_iam_policy_document",)
_MAX_DEPTH = 24


def built_by(attribute: Attribute, value: Any) -> str | None:
    """What built `value` (an Unknown without text, found in the argument's value) around a reference:
    `format()`, `a for expression`, `a conditional that cannot be decided`; None when it is a reference."""
    if not isinstance(value, Unknown) or value.partial is not None:
        return None
    key = (value.reason, value.refs)
    return next((what for built, what in rebuilt(attribute) if (built.reason, built.refs) == key), None)


def rebuilt(attribute: Attribute) -> list[tuple[Unknown, str]]:
    """Every Unknown without text that some function, for expression or conditional in the argument's
    expression (or in what it refers to) produced, with a description of what produced it."""
    found: list[tuple[Unknown, str]] = []
    _visit(attribute.expr, attribute.block.scope, found, set(), 0)
    return found


def _visit(expr: Expr, scope: Scope, found: list, seen: set, depth: int) -> None:
    key = (id(expr), id(scope.block) if scope.block is not None else id(scope.module))
    if depth > _MAX_DEPTH or key in seen:
        return
    seen.add(key)
    what = _builder(expr, scope)
    if what is not None:
        value = evaluate(expr, scope)
        if isinstance(value, Unknown) and value.partial is None:
            found.append((value, what))
        elif isinstance(expr, ForExpr) and any(map(_builds, walk(expr.value))):
            found.extend((leaf, what) for leaf in _leaves(value) if leaf.partial is None)
    if isinstance(expr, Traversal) and isinstance(expr.root, str):
        for inner, inner_scope in _sources(expr, scope):
            _visit(inner, inner_scope, found, seen, depth + 1)
    for child in _children(expr):
        _visit(child, scope, found, seen, depth + 1)


def flows_into(attribute: Attribute, seen: set | None = None) -> Iterator[tuple[Expr, Scope]]:
    """Every expression, with its scope, whose value may become part of the argument's: the argument's own
    nodes (not conditions, object keys, indexes or comparisons: they choose a value, they are not one) and,
    behind each reference, what the configuration writes for it: locals, module inputs and outputs, variable
    defaults and tfvars values, resource arguments, `for_each` and dynamic block collections.

    Each expression is given once per scope; `seen` shared between calls gives it once over all of them.
    No depth limit: a chain of a thousand locals is followed to its end (`seen` ends cycles)."""
    seen = set() if seen is None else seen
    todo = [(attribute.expr, attribute.block.scope)]
    while todo:
        expr, scope = todo.pop()
        key = (id(expr), id(scope.block) if scope.block is not None else id(scope.module))
        if key in seen:
            continue
        seen.add(key)
        yield expr, scope
        if isinstance(expr, Traversal) and isinstance(expr.root, str):
            todo.extend(_sources(expr, scope, assigned=True))
        todo.extend((child, scope) for child in _value_parts(expr))


def _value_parts(expr: Expr) -> list[Expr]:
    """The parts of an expression its value is made of."""
    match expr:
        case Template(parts=parts):
            return [p for p in parts if isinstance(p, Expr)]
        case Traversal(root=root):
            return [root] if isinstance(root, Expr) else []
        case Call(args=args):
            return list(args)
        case Conditional(if_true=if_true, if_false=if_false):
            return [if_true, if_false]
        case TupleExpr(items=items):
            return list(items)
        case ObjectExpr(items=items):
            return [value for _, value in items]
        case ForExpr(collection=collection, value=value):
            return [collection, value]
    return []


def _leaves(value: Any) -> list[Unknown]:
    if isinstance(value, Unknown):
        return [value]
    if isinstance(value, dict | list):
        return [leaf for item in (value.values() if isinstance(value, dict) else value) for leaf in _leaves(item)]
    return []


def _builds(expr: Expr) -> bool:
    """Might this node, inside a for expression's body, build a value around an unknown one?"""
    return isinstance(expr, ForExpr | Conditional) or (isinstance(expr, Call) and expr.name not in _KEEPS_ARGUMENT)


def _builder(expr: Expr, scope: Scope) -> str | None:
    if isinstance(expr, Call) and expr.name not in _KEEPS_ARGUMENT:
        return f"{expr.name}()"
    if isinstance(expr, ForExpr):
        return "a for expression"
    if isinstance(expr, Conditional) and not isinstance(evaluate(expr.condition, scope), bool):
        return "a conditional that cannot be decided"
    return None


def _children(expr: Expr) -> list[Expr]:
    match expr:
        case Template(parts=parts):
            return [p for p in parts if isinstance(p, Expr)]
        case Traversal(root=root, steps=steps):
            inner = [root] if isinstance(root, Expr) else []
            return inner + [s.key for s in steps if isinstance(s, Index)]
        case Call(args=args):
            return list(args)
        case Conditional(condition=condition, if_true=if_true, if_false=if_false):
            return [condition, if_true, if_false]
        case TupleExpr(items=items):
            return list(items)
        case ObjectExpr(items=items):
            return [part for item in items for part in item]
        case BinaryOp():  # a chain of operators is one level, however many terms it has
            first, links = operator_chain(expr)
            return [first, *(link.right for link in links)]
        case UnaryOp(operand=operand):
            return [operand]
        case ForExpr():
            return []  # its body is judged as a whole: evaluated outside the loop, it means nothing
    return []


def _sources(node: Traversal, scope: Scope, assigned: bool = False) -> list[tuple[Expr, Scope]]:
    """The expressions a reference takes its value from, where the configuration writes them. `assigned`:
    also a variable's default and tfvars value, and the collection a dynamic block's iterator walks."""
    module = scope.module
    names = [s.name if isinstance(s, GetAttr) else None for s in node.steps]
    root = node.root
    if root == "local" and names and names[0] in module.locals:
        return [(module.locals[names[0]].expr, Scope(module, {}))]
    if assigned and root == "var" and names and names[0] in module.variables:
        return _assignments(module, names[0])
    if root == "var" and names and module.call is not None and module.call.get(names[0]) is not None:
        given = module.call.get(names[0])
        return [(given.expr, given.block.scope)]
    if assigned and root in scope.bindings and root not in ("each", "count"):
        return _iterated(scope.block, root)
    if root == "module" and len(names) >= 2 and names[0] in module.children:
        output = module.children[names[0]].outputs.get(names[1] or "")
        value = output.get("value") if output is not None else None
        return [(value.expr, value.block.scope)] if value is not None else []
    if root == "each" and scope.block is not None:  # each.value: what the block's for_each map holds
        top = scope.block
        while top.parent is not None:
            top = top.parent
        for_each = top.syntax.attributes.get("for_each")
        return [(for_each.expr, Scope(module, {}))] if for_each is not None else []
    if root in ("var", "local", "module", "path", "terraform", "self", "count", "each") or root in scope.bindings:
        return []
    kind = root if root in ("data", "ephemeral") else "resource"
    path = names if kind != "resource" else [root, *names]  # type, name, then an index or the argument
    if len(path) < 2 or None in path[:2]:
        return []
    blocks: list[Block] = module.resources.get((kind, path[0], path[1]), [])
    if kind == "data" and path[0] in _DOCUMENTS:
        return [pair for block in blocks for pair in _all_arguments(block)]
    argument = next((name for name in path[2:] if name is not None), None)  # `x[0].arn`: skip the index
    return [(b.get(argument).expr, b.scope) for b in blocks if argument and b.get(argument) is not None]


def _assignments(module: Module, name: str) -> list[tuple[Expr, Scope]]:
    """Every value a variable may be given: the module call's argument or the tfvars value, and the default."""
    found = []
    given = module.call.get(name) if module.call is not None else None
    if given is not None:
        found.append((given.expr, given.block.scope))
    if module.call is None and name in module.variable_values:
        found.append((module.variable_values[name].attribute.expr, Scope(module, {})))
    default = module.variables[name].get("default")
    if default is not None:
        found.append((default.expr, default.block.scope))
    return found


def _iterated(block: Block | None, iterator: str) -> list[tuple[Expr, Scope]]:
    """The `for_each` of the dynamic block whose iterator is `iterator`, around `block`."""
    while block is not None and block.parent is not None:
        parent = block.parent
        for syntax in parent.syntax.blocks:
            if syntax.type != "dynamic" or not syntax.labels or "for_each" not in syntax.attributes:
                continue
            named = syntax.attributes.get("iterator")
            name = named.expr.root if named is not None and isinstance(named.expr, Traversal) else syntax.labels[0]
            if name == iterator:
                return [(syntax.attributes["for_each"].expr, parent.scope)]
        block = parent
    return []


def _all_arguments(block: Block) -> list[tuple[Expr, Scope]]:
    pairs = [(a.expr, block.scope) for a in block.attributes.values()]
    for nested in block.nested:
        pairs += _all_arguments(nested)
    return pairs
