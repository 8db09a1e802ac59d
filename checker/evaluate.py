"""Values of expressions, where the configuration alone decides them; `Unknown` where it does not.

Values are plain Python: str, int, float, bool, None, list, dict, and `Unknown` (possibly nested inside
lists and dicts). A definite error (a missing map key, a wrong type) inside `try()` moves on to the next
argument; anywhere else it becomes an Unknown that says what went wrong.
"""

from __future__ import annotations

import base64
import json
import math
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from . import limits
from .expr import (
    BinaryOp,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Literal,
    ObjectExpr,
    Splat,
    Template,
    Traversal,
    TupleExpr,
    UnaryOp,
    Unsupported,
    operator_chain,
    walk,
)
from .model import Block, Budget, Location, Module, Reference, Scope, Unknown, contains_unknown, unknowns
from .parse import SyntaxBlock

MAX_INSTANCES = 1000  # count/for_each beyond this is not expanded: the block is judged once, as unknown
_BUILTIN_ROOTS = {"var", "local", "module", "data", "count", "each", "path", "terraform", "self", "ephemeral"}
_MAX_INT_BITS = math.floor(limits.MAX_NUMBER_DIGITS / math.log10(2))  # no integer of more bits has fewer digits
# A regular expression's program size times the characters it runs over: RE2's time is linear in the text,
# but a huge program over a long text still takes a while.
_MAX_REGEX_WORK = 100 * limits.MAX_VALUE_SIZE


class EvalError(Exception):
    """A definite error in an expression: Terraform itself would reject it."""


class NotEvaluated(Exception):
    """gateaudit stops short of a value Terraform would compute (a limit of checker.limits): the expression is
    unknown, naming why. Unlike an EvalError, `try()` and `can()` do not catch it: Terraform would not fail."""


class TooLarge(NotEvaluated):
    """An evaluation over a step, size or budget limit: an unknown, never a hang."""


@contextmanager
def _budgeted(budget: Budget) -> Iterator[None]:
    """Entry points from outside this module count their steps afresh; nested ones share the outer count."""
    if budget.depth == 0:
        budget.expression_steps = 0
    budget.depth += 1
    try:
        yield
    finally:
        budget.depth -= 1


def evaluate(expr: Expr, scope: Scope) -> Any:
    if isinstance(expr, Literal):
        return expr.value  # written as it is: known, whatever the scan's budget has left
    with _budgeted(scope.module.budget):
        try:
            value = _eval(expr, scope)
        except NotEvaluated as error:
            return Unknown(str(error))
        except EvalError as error:
            return Unknown(f"cannot evaluate: {error}")
        except RecursionError:
            return Unknown("expression nested too deeply to evaluate")
    if _too_large(value):  # rules walk values: one that expands past the limit when rendered is not handed out
        return Unknown(f"a value of more than {limits.MAX_VALUE_SIZE} elements or characters when rendered: "
                       "not evaluated")
    return value


def _too_large(value: Any) -> bool:
    """Whether a value is over MAX_VALUE_SIZE: string characters, or elements through every level of lists
    and maps; values shared by several parents count once per parent, as they would once rendered."""
    return _rendered_size(value) > limits.MAX_VALUE_SIZE


def _rendered_size(value: Any) -> int:
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


def _unknown_in(*values: Any) -> Unknown | None:
    """The first Unknown among values (looking inside lists and maps), with every ref merged."""
    found = list(unknowns(values))
    if not found:
        return None
    refs = tuple(dict.fromkeys(r for u in found for r in u.refs))
    return Unknown(found[0].reason, refs)


def _step(budget: Budget) -> None:
    budget.steps += 1
    budget.expression_steps += 1
    if budget.expression_steps > limits.MAX_EVALUATION_STEPS:
        raise TooLarge(f"evaluation takes more than {limits.MAX_EVALUATION_STEPS} steps: not evaluated")
    if budget.steps > limits.MAX_SCAN_EVALUATION_STEPS:
        raise TooLarge(f"over the scan's evaluation budget of {limits.MAX_SCAN_EVALUATION_STEPS} steps: not evaluated")


def _spend(budget: Budget, size: int) -> None:
    """Count characters or elements built, or handed to a function, against the scan's budget."""
    budget.value_size += size
    if budget.value_size > limits.MAX_SCAN_VALUE_SIZE:
        raise TooLarge(f"over the scan's budget of {limits.MAX_SCAN_VALUE_SIZE} characters and elements of "
                       "values: not evaluated")


def _size_of(value: Any) -> int:
    return len(value) if isinstance(value, str | list | dict) else 0


def _eval(expr: Expr, scope: Scope) -> Any:
    budget = scope.module.budget
    _step(budget)
    value = _eval_expr(expr, scope)
    if isinstance(value, str) and len(value) > limits.MAX_VALUE_SIZE and not isinstance(expr, Literal):
        raise TooLarge(f"a string of more than {limits.MAX_VALUE_SIZE} characters: not evaluated")
    if isinstance(value, list | dict) and len(value) > limits.MAX_VALUE_SIZE:
        raise TooLarge(f"a collection of more than {limits.MAX_VALUE_SIZE} elements: not evaluated")
    if _builds(expr):
        _spend(budget, _size_of(value))
    return value


def _builds(expr: Expr) -> bool:
    """Does evaluating this node build a new value (rather than hand out one written or kept elsewhere)?"""
    if isinstance(expr, Traversal):
        return any(isinstance(step, Splat) for step in expr.steps)
    return isinstance(expr, Template | Call | ForExpr | TupleExpr | ObjectExpr)


def _eval_expr(expr: Expr, scope: Scope) -> Any:
    match expr:
        case Literal(value=value):
            return value
        case Template(parts=parts):
            return _template(parts, scope)
        case Traversal():
            return _traversal(expr, scope)
        case Call():
            return _call(expr, scope)
        case Conditional(condition=condition, if_true=if_true, if_false=if_false):
            decided = _eval(condition, scope)
            if isinstance(decided, Unknown):
                yes, no = _eval(if_true, scope), _eval(if_false, scope)
                if not contains_unknown(yes) and not contains_unknown(no) and _equal(yes, no):
                    return yes
                return Unknown(f"depends on a condition that cannot be decided ({decided.reason})", decided.refs)
            if not isinstance(decided, bool):
                raise EvalError(f"a condition must be true or false, not {_show(decided)}")
            return _eval(if_true if decided else if_false, scope)
        case TupleExpr(items=items):
            return [_eval(item, scope) for item in items]
        case ObjectExpr(items=items):
            result: dict[str, Any] = {}
            for key_expr, value_expr in items:
                key = _eval(key_expr, scope)
                if isinstance(key, Unknown):
                    return Unknown(f"an object key is unknown ({key.reason})", key.refs)
                result[_to_string(key)] = _eval(value_expr, scope)
            return result
        case BinaryOp():
            return _operator_chain(expr, scope)
        case UnaryOp(op=op, operand=operand):
            value = _eval(operand, scope)
            if isinstance(value, Unknown):
                return value
            if op == "!":
                if not isinstance(value, bool):
                    raise EvalError(f"! needs a bool, not {_show(value)}")
                return not value
            return -_number(value)
        case ForExpr():
            return _for(expr, scope)
        case Unsupported(what=what):
            return Unknown(f"{what} is not evaluated by gateaudit")
    raise EvalError(f"unsupported expression {type(expr).__name__}")


def _show(value: Any) -> str:
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


def _to_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    raise EvalError(f"cannot use {_show(value)} as a string")


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise EvalError(f"expected a number, not {_show(value)}")
    if isinstance(value, str):
        if re.fullmatch(r"-?\d+", value):
            if len(value.lstrip("-")) > limits.MAX_NUMBER_DIGITS:
                raise TooLarge(f"a number of more than {limits.MAX_NUMBER_DIGITS} digits: not evaluated")
            return int(value)
        try:
            return float(value)
        except ValueError:
            shown = value if len(value) <= 40 else value[:40] + "…"
            raise EvalError(f"{shown!r} is not a number") from None
    return value


def _template(parts: tuple, scope: Scope) -> Any:
    text: list[str] = []
    unknowns: list[Unknown] = []
    for part in parts:
        if isinstance(part, str):
            text.append(part)
            continue
        value = _eval(part, scope)
        if isinstance(value, Unknown):
            unknowns.append(value)
            if isinstance(value.partial, str):
                text.append(value.partial)  # keep what is known of a nested template
            else:
                text.append("${" + (value.refs[0] if value.refs else "?") + "}")
        elif value is None:
            raise EvalError("a template cannot include null")
        else:
            text.append(_to_string(value))
    if sum(map(len, text)) > limits.MAX_VALUE_SIZE:  # the known part of an unknown too: it doubles as well
        raise TooLarge(f"a string of more than {limits.MAX_VALUE_SIZE} characters: not evaluated")
    if unknowns:
        refs = tuple(dict.fromkeys(r for u in unknowns for r in u.refs))
        return Unknown(unknowns[0].reason, refs, partial="".join(text))
    return "".join(text)


# --------------------------------------------------------------------------------------- references


def _traversal(expr: Traversal, scope: Scope) -> Any:
    if not isinstance(expr.root, str):
        return _apply_steps(_eval(expr.root, scope), expr.steps, scope, "expression")
    root = expr.root
    if root in scope.bindings:
        return _apply_steps(scope.bindings[root], expr.steps, scope, root)
    steps = expr.steps
    name = steps[0].name if steps and isinstance(steps[0], GetAttr) else None
    module = scope.module
    if root == "var" and name:
        return _apply_steps(variable_value(module, name), steps[1:], scope, f"var.{name}")
    if root == "local" and name:
        return _apply_steps(local_value(module, name), steps[1:], scope, f"local.{name}")
    if root == "module" and name:
        return _module_output(module, name, steps[1:], scope)
    if root in ("count", "each"):
        return Unknown(f"{expr.dotted()} is used outside a block with {'count' if root == 'count' else 'for_each'}")
    if root == "path" and name:
        if name == "module":
            return module.display_dir
        if name == "root":
            root_module = module
            while root_module.parent is not None:
                root_module = root_module.parent
            return root_module.display_dir
        return Unknown(f"path.{name} depends on where Terraform runs")
    if root == "terraform":
        return Unknown(f"{expr.dotted()} is chosen when Terraform runs")
    if root == "self":
        return Unknown("self is only known while provisioning")
    if root in ("data", "ephemeral") and len(steps) >= 2 and isinstance(steps[1], GetAttr) and name:
        return _resource_value(module, root, name, steps[1].name, steps[2:], scope)
    if root not in _BUILTIN_ROOTS and name:
        return _resource_value(module, "resource", root, name, steps[1:], scope)
    return Unknown(f"{expr.dotted()} is not a reference gateaudit can resolve")


def variable_value(module: Module, name: str) -> Any:
    """A variable's value: the module call's input, else tfvars (root), else its default."""
    key = ("var", name)
    if key in module.cache:
        return module.cache[key]
    module.cache[key] = Unknown(f"var.{name} refers to itself")
    try:
        with _budgeted(module.budget):
            module.cache[key] = value = _variable_value(module, name)
    except NotEvaluated as error:
        module.cache[key] = value = Unknown(f"var.{name}: {error}", (f"var.{name}",))
    except EvalError:
        del module.cache[key]
        raise
    return value


def _variable_value(module: Module, name: str) -> Any:
    declared = module.variables.get(name)
    display = module.address(f"var.{name}")
    if declared is None:
        raise EvalError(f"{display} is not declared")
    if module.call is not None:
        given = module.call.get(name)
        if given is not None:
            value = given.value
            return _retag(value, display) if isinstance(value, Unknown) else value
    elif name in module.variable_values:
        set_in = module.variable_values[name]
        return _eval(set_in.attribute.expr, Scope(module, {}))
    default = declared.get("default")
    if default is not None:
        return default.value
    if module.call is not None:
        return Unknown(f"{display} is not set by the module call and has no default", (display,))
    return Unknown(f"{display} has no value (no default, no tfvars)", (display,))


def _retag(value: Unknown, name: str) -> Unknown:
    return Unknown(value.reason, (*value.refs, name) if name not in value.refs else value.refs, value.partial)


def local_value(module: Module, name: str) -> Any:
    key = ("local", name)
    if key in module.cache:
        return module.cache[key]
    attribute = module.locals.get(name)
    if attribute is None:
        raise EvalError(f"{module.address('local.' + name)} is not declared")
    module.cache[key] = Unknown(f"local.{name} refers to itself")
    try:
        module.cache[key] = value = _eval(attribute.expr, Scope(module, {}))
    except NotEvaluated as error:  # kept: evaluating it again would only take as long again
        module.cache[key] = value = Unknown(f"local.{name}: {error}", (f"local.{name}",))
    except EvalError:
        del module.cache[key]
        raise
    if _too_large(value):
        module.cache[key] = value = Unknown(f"local.{name} is larger than {limits.MAX_VALUE_SIZE} elements or "
                                            "characters: not evaluated", (f"local.{name}",))
    return value


def _module_output(module: Module, name: str, steps: tuple, scope: Scope) -> Any:
    child = module.children.get(name)
    if child is None:
        return Unknown(f"module.{name} is not loaded (not a local module)", (f"module.{name}",))
    if not steps or not isinstance(steps[0], GetAttr):
        return Unknown(f"module.{name} used as a whole object is not evaluated")
    output = child.outputs.get(steps[0].name)
    if output is None:
        raise EvalError(f"module.{name} has no output {steps[0].name!r}")
    return _apply_steps(output.value("value"), steps[1:], scope, f"module.{name}.{steps[0].name}")


def _resource_value(module: Module, kind: str, type_: str, name: str, steps: tuple, scope: Scope) -> Any:
    instances = module.resources.get((kind, type_, name))
    prefix = "data." if kind == "data" else "ephemeral." if kind == "ephemeral" else ""
    address = module.address(f"{prefix}{type_}.{name}")
    if instances is None:
        raise EvalError(f"{address} is not declared in this module")
    if steps and isinstance(steps[0], Index):
        key = _eval(steps[0].key, scope)
        if isinstance(key, Unknown):
            return Unknown(f"the instance key of {address} is unknown ({key.reason})", (address, *key.refs))
        chosen = [b for b in instances if b.instance_key == key]
        if not chosen:
            if instances[0].expansion is not None:
                return Unknown(f"{address}[{_show_key(key)}]: {instances[0].expansion.reason}", (address,))
            raise EvalError(f"{address} has no instance {_show_key(key)}")
        return _instance_value(chosen[0], steps[1:], scope)
    if steps and isinstance(steps[0], Splat):
        return [_instance_value(b, steps[1:], scope) for b in instances]
    if len(instances) == 1 and instances[0].instance_key is None:
        if instances[0].expansion is not None and steps:
            return Unknown(f"{address}: {instances[0].expansion.reason}", (address,))
        return _instance_value(instances[0], steps, scope)
    # `for_each = aws_x.y` or `aws_x.y["k"]` reached through a map: the instances as a collection
    if all(isinstance(b.instance_key, int) for b in instances):
        collection: Any = [ResourceObject(b) for b in instances]
    else:
        collection = {str(b.instance_key): ResourceObject(b) for b in instances}
    return _apply_steps(collection, steps, scope, address)


class ResourceObject:
    """A resource instance used as a value (`for_each = aws_x.y`, then `each.value.name`).

    Its attributes are read on demand, so a configured argument has its value and a computed one is an
    Unknown, exactly as when the attribute is referenced directly.
    """

    def __init__(self, block: Block):
        self.block = block

    def __repr__(self) -> str:
        return f"<{self.block.address}>"


def _show_key(key: Any) -> str:
    return f'"{key}"' if isinstance(key, str) else str(key)


def _instance_value(block: Block, steps: tuple, scope: Scope) -> Any:
    if not steps:
        return ResourceObject(block)
    if not isinstance(steps[0], GetAttr):
        return Unknown(f"{block.address} used as a whole object is not evaluated", (block.address,))
    attribute = steps[0].name
    computed = PLAN_TIME_ATTRIBUTES.get((block.kind, block.type, attribute))
    if computed is not None:
        value = computed(block)
    elif block.has(attribute):
        value = block.value(attribute)
    elif block.blocks(attribute):
        value = [{a.name: a.value for a in nested.attributes.values()} for nested in block.blocks(attribute)]
    else:
        ref = f"{block.address}.{attribute}"
        when = "read" if block.kind == "data" else "opened" if block.kind == "ephemeral" else "applied"
        return Unknown(f"{ref} is known only after {block.address} is {when}", (ref,))
    return _apply_steps(value, steps[1:], scope, f"{block.address}.{attribute}")


def _apply_steps(value: Any, steps: tuple, scope: Scope, where: str) -> Any:
    for position, step in enumerate(steps):
        if isinstance(value, Unknown):
            return value
        if isinstance(value, ResourceObject):
            return _instance_value(value.block, steps[position:], scope)
        if isinstance(step, Splat):
            if value is None:
                value = []
            items = value if isinstance(value, list) else [value]
            return [_apply_steps(item, steps[position + 1 :], scope, where) for item in items]
        if isinstance(step, GetAttr):
            if not isinstance(value, dict):
                raise EvalError(f"{where} is {_show(value)}; it has no attribute {step.name!r}")
            if step.name not in value:
                raise EvalError(f"{where} has no attribute {step.name!r}")
            value = value[step.name]
            where = f"{where}.{step.name}"
            continue
        key = _eval(step.key, scope)
        if isinstance(key, Unknown):
            return Unknown(f"an index into {where} is unknown ({key.reason})", key.refs)
        if isinstance(value, list):
            index = _number(key)
            if not isinstance(index, int) or not 0 <= index < len(value):
                raise EvalError(f"index {key} is out of range for {where}")
            value = value[index]
        elif isinstance(value, dict):
            if _to_string(key) not in value:
                raise EvalError(f"{where} has no key {_show_key(key)}")
            value = value[_to_string(key)]
        else:
            raise EvalError(f"{where} is {_show(value)}; it cannot be indexed")
        where = f"{where}[{_show_key(key)}]"
    return value


def references(expr: Expr, scope: Scope) -> tuple[Reference, ...]:
    """The blocks an expression refers to, followed through variables, locals and module outputs."""
    found: dict[tuple[int, str | None], Reference] = {}
    _collect_references(expr, scope, found, set())
    return tuple(found.values())


def _collect_references(expr: Expr, scope: Scope, found: dict, visiting: set) -> None:
    for node in walk(expr):
        if not isinstance(node, Traversal) or not isinstance(node.root, str):
            continue
        root, steps = node.root, node.steps
        if root == "each" and scope.block is not None:
            _follow_for_each(scope, found, visiting)
            continue
        if root in scope.bindings and root not in _BUILTIN_ROOTS:
            continue
        names = [s.name if isinstance(s, GetAttr) else None for s in steps]
        module = scope.module
        if root == "var" and names and names[0]:
            _follow_variable(module, names[0], found, visiting)
        elif root == "local" and names and names[0]:
            key = ("local", id(module), names[0])
            attribute = module.locals.get(names[0])
            if attribute is not None and key not in visiting:
                visiting.add(key)
                _collect_references(attribute.expr, Scope(module, {}), found, visiting)
        elif root == "module" and len(names) >= 2 and names[0] and names[1]:
            child = module.children.get(names[0])
            output = child.outputs.get(names[1]) if child else None
            key = ("output", id(child), names[1])
            if output is not None and output.has("value") and key not in visiting:
                visiting.add(key)
                _collect_references(output.get("value").expr, Scope(child, {}), found, visiting)
        elif root in ("data", "ephemeral") and len(names) >= 2 and names[0] and names[1]:
            attribute = names[2] if len(names) > 2 else None
            _add_instances(module, root, names[0], names[1], steps[2:3], attribute, scope, found)
        elif root not in _BUILTIN_ROOTS and names and names[0]:
            rest = steps[1:]
            attribute = next((s.name for s in rest if isinstance(s, GetAttr)), None)
            _add_instances(module, "resource", root, names[0], rest[:1], attribute, scope, found)


def _follow_for_each(scope: Scope, found: dict, visiting: set) -> None:
    """`each.value.x` refers to what the block's for_each collection holds: follow that expression.

    This over-approximates (every element's references, not only this instance's), so a rule that
    requires all referenced blocks to qualify errs toward a finding, never toward a pass.
    """
    top = scope.block
    while top.parent is not None:
        top = top.parent
    for_each = top.syntax.attributes.get("for_each")
    key = ("for_each", id(top.syntax))
    if for_each is not None and key not in visiting:
        visiting.add(key)
        _collect_references(for_each.expr, Scope(scope.module, {}), found, visiting)


def _follow_variable(module: Module, name: str, found: dict, visiting: set) -> None:
    key = ("var", id(module), name)
    if key in visiting:
        return
    visiting.add(key)
    declared = module.variables.get(name)
    if declared is not None:
        found.setdefault((id(declared), None), Reference(declared, None))
    if module.call is not None and module.call.has(name) and module.parent is not None:
        _collect_references(module.call.get(name).expr, module.call.scope, found, visiting)


def _add_instances(module: Module, kind: str, type_: str, name: str, index_step: tuple,
                   attribute: str | None, scope: Scope, found: dict) -> None:
    instances = module.resources.get((kind, type_, name), [])
    if index_step and isinstance(index_step[0], Index):
        key = evaluate(index_step[0].key, scope)
        if not isinstance(key, Unknown):
            matching = [b for b in instances if b.instance_key == key]
            instances = matching or instances
    for block in instances:
        found.setdefault((id(block), attribute), Reference(block, attribute))


# ------------------------------------------------------------------------------------ operators


def _operator_chain(expr: BinaryOp, scope: Scope) -> Any:
    """`a + b + c + ...` left to right, in a loop: a chain of thousands of terms is valid HCL and must not
    recurse once per term."""
    first, links = operator_chain(expr)
    value = _eval(first, scope)
    for position, link in enumerate(links):
        if position:
            _step(scope.module.budget)  # each operator is a step, as when the chain recursed
        value = _binary(link.op, value, _eval(link.right, scope))
    return value


def _binary(op: str, left: Any, right: Any) -> Any:
    try:
        result = _arithmetic(op, left, right)
    except OverflowError:
        raise TooLarge(f"a number too large to compute ({op}): not evaluated") from None
    if isinstance(result, int) and result.bit_length() > _MAX_INT_BITS:
        raise TooLarge(f"a number of more than {limits.MAX_NUMBER_DIGITS} digits: not evaluated")
    return result


def _arithmetic(op: str, left: Any, right: Any) -> Any:
    unknown = _unknown_in(left, right)
    if op in ("&&", "||"):
        for side in (left, right):
            if isinstance(side, bool) and side == (op == "||"):
                return side  # true || unknown is true; false && unknown is false
        if unknown is not None:
            return unknown
        if not isinstance(left, bool) or not isinstance(right, bool):
            raise EvalError(f"{op} needs two bools")
        return left and right if op == "&&" else left or right
    if unknown is not None:
        return unknown
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    a, b = _number(left), _number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            raise EvalError("division by zero")
        return a / b
    if op == "%":
        if b == 0:
            raise EvalError("modulo by zero")
        return a % b
    return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) != isinstance(right, bool):
        return False
    if isinstance(left, list | dict) and isinstance(right, list | dict):
        _check_rendered(left)  # two values built from the same parts compare part by part, as rendered
        _check_rendered(right)
    return left == right


def _check_rendered(value: Any) -> None:
    if _rendered_size(value) > limits.MAX_VALUE_SIZE:
        raise TooLarge(f"a value of more than {limits.MAX_VALUE_SIZE} elements or characters when rendered: "
                       "not evaluated")


def _for(expr: ForExpr, scope: Scope) -> Any:
    collection = _eval(expr.collection, scope)
    if isinstance(collection, Unknown):
        return Unknown(f"the collection of a for expression is unknown ({collection.reason})", collection.refs)
    if isinstance(collection, dict):
        pairs = list(collection.items())
    elif isinstance(collection, list):
        pairs = list(enumerate(collection))
    else:
        raise EvalError(f"a for expression cannot iterate over {_show(collection)}")
    items: list[Any] = []
    mapping: dict[str, Any] = {}
    for key, value in pairs:
        bindings = dict(scope.bindings)
        bindings[expr.value_var] = value
        if expr.key_var:
            bindings[expr.key_var] = key
        inner = Scope(scope.module, bindings, scope.block)
        if expr.condition is not None:
            keep = _eval(expr.condition, inner)
            if isinstance(keep, Unknown):
                return Unknown(f"a for expression's condition is unknown ({keep.reason})", keep.refs)
            if not keep:
                continue
        if expr.key is None:
            items.append(_eval(expr.value, inner))
            continue
        out_key = _eval(expr.key, inner)
        if isinstance(out_key, Unknown):
            return Unknown(f"a for expression's key is unknown ({out_key.reason})", out_key.refs)
        out_key = _to_string(out_key)
        if expr.grouping:
            mapping.setdefault(out_key, []).append(_eval(expr.value, inner))
        elif out_key in mapping:
            raise EvalError(f"duplicate key {out_key!r} in a for expression")
        else:
            mapping[out_key] = _eval(expr.value, inner)
    return items if expr.key is None else mapping


# ------------------------------------------------------------------------------------ functions


def _call(expr: Call, scope: Scope) -> Any:
    name = expr.name
    if name == "try":
        return _try(expr.args, scope)
    if name == "can":
        try:
            value = _eval(expr.args[0], scope)
        except EvalError:
            return False
        return value if isinstance(value, Unknown) else True
    function = FUNCTIONS.get(name)
    if function is None:
        kind = "provider-defined function" if name.startswith("provider::") else "function"
        return Unknown(f"the {kind} {name}() is not evaluated by gateaudit")
    args = [_eval(arg, scope) for arg in expr.args]
    if expr.expand_last and args:
        last = args.pop()
        if isinstance(last, Unknown):
            return last
        if not isinstance(last, list):
            raise EvalError(f"{name}(...): only a list can be expanded with ...")
        args.extend(last)
    _spend(scope.module.budget, sum(map(_size_of, args)))  # a function reads what it is handed
    if name in _PASSES_UNKNOWN:
        return function(*args)
    if name in _KEEPS_UNKNOWN_ELEMENTS:
        unknown = next((arg for arg in args if isinstance(arg, Unknown)), None)  # only a whole argument
    else:
        unknown = _unknown_in(*args)
    if unknown is not None:
        unknown = _unknown_in(unknown, *args) if name not in _KEEPS_UNKNOWN_ELEMENTS else unknown
        return Unknown(unknown.reason, unknown.refs, _partial(name, function, args))
    try:
        return function(*args)
    except (TypeError, ValueError, KeyError, IndexError, ArithmeticError) as error:
        raise EvalError(f"{name}(): {error}") from None


def _try(args: tuple[Expr, ...], scope: Scope) -> Any:
    errors = []
    for arg in args:
        try:
            return _eval(arg, scope)
        except EvalError as error:
            errors.append(str(error))
    raise EvalError("no argument of try() could be evaluated: " + "; ".join(errors))


def _coalesce(*args: Any) -> Any:
    for arg in args:
        if isinstance(arg, Unknown):
            return arg
        if arg is not None and arg != "":
            return arg
    raise EvalError("coalesce(): every argument is null or empty")


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if isinstance(mapping, Unknown):
        return mapping
    if isinstance(key, Unknown):
        return key
    if not isinstance(mapping, dict):
        raise EvalError(f"lookup() needs a map, not {_show(mapping)}")
    key = _to_string(key)
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise EvalError(f"lookup(): no key {key!r}")


def _merge(*maps: Any) -> Any:
    result: dict[str, Any] = {}
    for item in maps:
        if isinstance(item, Unknown):
            return item
        if item is None:
            continue
        if not isinstance(item, dict):
            raise EvalError(f"merge() needs maps, not {_show(item)}")
        result.update(item)
    return result


def _format(spec: Any, *args: Any) -> str:
    if not isinstance(spec, str):
        raise EvalError("format() needs a format string")
    values = iter(args)
    limit = limits.MAX_VALUE_SIZE
    written = len(spec)

    def one(match: re.Match[str]) -> str:
        nonlocal written
        flags, verb = match.groups()
        if verb == "%":
            return "%"
        for number in re.findall(r"\d+", flags):  # Python would pad to any width: a gigabyte for %999999999d
            if len(number) > len(str(limit)) or int(number) > limit:
                raise TooLarge(f"format(): a width or precision of {number} is over the limit of {limit}: "
                               "not evaluated")
        try:
            value = next(values)
        except StopIteration:
            raise EvalError("format(): not enough arguments") from None
        if verb == "q":
            text = json.dumps(_to_string(value))
        elif verb in "dfeg":
            text = ("%" + flags + verb) % _number(value)
        elif verb == "v" and not isinstance(value, str | int | float | bool):
            _check_rendered(value)
            text = json.dumps(value, separators=(",", ":"))
        else:
            text = ("%" + flags + "s") % _to_string(value)
        written += len(text)
        if written > limit:
            raise TooLarge(f"a string of more than {limit} characters: not evaluated")
        return text

    return re.sub(r"%([-+ #0-9.]*)([svdfegtq%])", one, spec)


def _replace(text: Any, search: Any, replacement: Any) -> str:
    text, search, replacement = _to_string(text), _to_string(search), _to_string(replacement)
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        return _regex_replace(text, search[1:-1], replacement)
    occurrences = text.count(search) if search else len(text) + 1  # "" matches before every character
    if len(text) + occurrences * (len(replacement) - len(search)) > limits.MAX_VALUE_SIZE:
        raise TooLarge(f"a string of more than {limits.MAX_VALUE_SIZE} characters: not evaluated")
    return text.replace(search, replacement)


def _regex_replace(text: str, pattern: str, template: str) -> str:
    """Go's `regexp.ReplaceAllString`, as Terraform's replace() runs it: RE2 syntax and linear-time matching
    (the google-re2 bindings, never Python's backtracking `re`), `$1`/`${name}` expansion, and no replacement
    for an empty match right after a match."""
    try:
        import re2
    except ImportError:  # google-re2 is a dependency; a platform without its wheel gets an explicit unknown
        raise NotEvaluated("replace() with a regular expression needs the google-re2 package: not evaluated") \
            from None
    options = re2.Options()
    options.log_errors = False  # RE2 would print the pattern, the scanned tree's text, on stderr
    try:
        regexp = re2.compile(pattern, options)
    except re2.error as error:
        detail = error.args[0] if error.args else ""
        detail = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
        raise EvalError(f"replace(): invalid regular expression: {detail}") from None
    if regexp.programsize * (len(text) + 1) > _MAX_REGEX_WORK:
        raise TooLarge(f"replace(): a regular expression of {regexp.programsize} instructions over "
                       f"{len(text)} characters is over the limit of {_MAX_REGEX_WORK}: not evaluated")
    data = text.encode("utf-8")
    pieces = _go_template(template, regexp.groupindex, regexp.groups)
    out: list[bytes] = []
    written = 0
    last_end = search = 0
    while search <= len(data):
        match = regexp.search(data, search)
        if match is None:
            break
        start, end = match.span()
        chunk = [data[last_end:start]]
        if end > last_end or start == 0:
            chunk += [piece if isinstance(piece, bytes) else _group(match, piece) for piece in pieces]
        written += sum(map(len, chunk))
        if written > 4 * limits.MAX_VALUE_SIZE:  # bytes: up to 4 per character
            raise TooLarge(f"a string of more than {limits.MAX_VALUE_SIZE} characters: not evaluated")
        out += chunk
        last_end = end
        width = _utf8_width(data, search)  # advance at least one character past the match
        search = search + width if search + width > end else max(end, search + 1)
    out.append(data[last_end:])
    return b"".join(out).decode("utf-8")


def _group(match: Any, group: int | str | None) -> bytes:
    if group is None:
        return b""
    start, end = match.span(group)
    return match.string[start:end] if start >= 0 else b""


def _utf8_width(data: bytes, position: int) -> int:
    if position >= len(data):
        return 0
    lead = data[position]
    return 1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4


def _go_template(template: str, names: dict[str, int], groups: int) -> list[bytes | int | None]:
    """Go's `Regexp.Expand` template, split once: literal bytes, and group numbers for `$1`, `${1}`, `$name`,
    `${name}` (None for a group that does not exist: it expands to nothing). `$$` is a dollar; a name is the
    longest run of letters, digits and `_` (`$1x` names a group "1x"); a `$` without a name stays a `$`."""
    pieces: list[bytes | int | None] = []
    literal: list[str] = []
    rest = template
    while "$" in rest:
        before, _, rest = rest.partition("$")
        literal.append(before)
        if rest.startswith("$"):
            literal.append("$")
            rest = rest[1:]
            continue
        brace = rest.startswith("{")
        body = rest[1:] if brace else rest
        length = 0
        while length < len(body) and (body[length].isalpha() or body[length].isdecimal() or body[length] == "_"):
            length += 1
        if length == 0 or (brace and body[length:length + 1] != "}"):
            literal.append("$")  # malformed: the dollar is text
            continue
        name = body[:length]
        rest = body[length + 1:] if brace else body[length:]
        pieces.append("".join(literal).encode("utf-8"))
        literal = []
        number = int(name) if name.isascii() and name.isdigit() and len(name) <= 8 else -1
        if name.startswith("0") and len(name) > 1:
            number = -1
        pieces.append((number if number <= groups else None) if number >= 0 else names.get(name))
    literal.append(rest)
    pieces.append("".join(literal).encode("utf-8"))
    return pieces


def _join(separator: Any, *lists: Any) -> str:
    separator = _to_string(separator)
    items = [_to_string(item) for items in lists for item in _as_list(items)]
    if sum(map(len, items)) + len(separator) * max(len(items) - 1, 0) > limits.MAX_VALUE_SIZE:
        raise TooLarge(f"a string of more than {limits.MAX_VALUE_SIZE} characters: not evaluated")
    return separator.join(items)


def _as_list(value: Any) -> list:
    if not isinstance(value, list):
        raise EvalError(f"expected a list, not {_show(value)}")
    return value


def _concat(*lists: Any) -> list:
    if sum(len(_as_list(items)) for items in lists) > limits.MAX_VALUE_SIZE:
        raise TooLarge(f"a collection of more than {limits.MAX_VALUE_SIZE} elements: not evaluated")
    return [item for items in lists for item in items]


def _flatten(value: Any) -> list:
    """Lists in lists, flattened in a loop; the same list held many times is walked each time, so the walk
    is bounded like the result."""
    result: list = []
    walked = 0
    stack = [iter(_as_list(value))]
    while stack:
        for item in stack[-1]:
            walked += 1
            if walked > limits.MAX_VALUE_SIZE:
                raise TooLarge(f"a collection of more than {limits.MAX_VALUE_SIZE} elements: not evaluated")
            if isinstance(item, list):
                stack.append(iter(item))
                break
            result.append(item)
        else:
            stack.pop()
    return result


def _jsonencode(value: Any) -> str:
    _check_rendered(value)  # a list held a thousand times is encoded a thousand times
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _contains(items: Any, value: Any) -> bool:
    items = _as_list(items)
    _check_rendered(items)  # each element is compared with the value, part by part
    return value in items


def _jsondecode(text: Any) -> Any:
    try:
        return json.loads(_to_string(text))
    except json.JSONDecodeError as error:
        raise EvalError(f"jsondecode(): not JSON ({error.msg})") from None


def _tostring(value: Any) -> Any:
    if value is None:
        return None
    return _to_string(value)


def _length(value: Any) -> int:
    if isinstance(value, str | list | dict):
        return len(value)
    raise EvalError(f"length() of {_show(value)}")


def _element(items: Any, index: Any) -> Any:
    items = _as_list(items)
    if not items:
        raise EvalError("element() of an empty list")
    return items[int(_number(index)) % len(items)]


def _one(items: Any) -> Any:
    items = _as_list(items)
    if len(items) > 1:
        raise EvalError(f"one() needs a list of at most one element, not {len(items)}")
    return items[0] if items else None


def _toset(value: Any) -> list:
    return list(dict.fromkeys(_as_list(value)))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "format": _format,
    "join": _join,
    "concat": _concat,
    "merge": _merge,
    "lookup": _lookup,
    "lower": lambda s: _to_string(s).lower(),
    "upper": lambda s: _to_string(s).upper(),
    "replace": _replace,
    "tostring": _tostring,
    "coalesce": _coalesce,
    "tolist": _as_list,
    "toset": _toset,
    "tomap": lambda m: m if isinstance(m, dict) else (_ for _ in ()).throw(EvalError("tomap() needs a map")),
    "tonumber": lambda v: None if v is None else _number(v),
    "tobool": lambda v: v if isinstance(v, bool) or v is None else {"true": True, "false": False}[v],
    "length": _length,
    "element": _element,
    "keys": lambda m: sorted(m) if isinstance(m, dict) else _as_list(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "contains": _contains,
    "split": lambda sep, s: _to_string(s).split(_to_string(sep)),
    "trimspace": lambda s: _to_string(s).strip(),
    "trimprefix": lambda s, p: _to_string(s).removeprefix(_to_string(p)),
    "trimsuffix": lambda s, p: _to_string(s).removesuffix(_to_string(p)),
    "startswith": lambda s, p: _to_string(s).startswith(_to_string(p)),
    "endswith": lambda s, p: _to_string(s).endswith(_to_string(p)),
    "flatten": _flatten,
    "distinct": lambda items: list(dict.fromkeys(_as_list(items))),
    "compact": lambda items: [i for i in _as_list(items) if i not in (None, "")],
    "min": lambda *n: min(_number(x) for x in n),
    "one": _one,
    "slice": lambda items, start, end: _as_list(items)[int(_number(start)):int(_number(end))],
    "reverse": lambda items: list(reversed(_as_list(items))),
    "sensitive": lambda value: value,  # marks a value for redaction in Terraform's output; same value
    "nonsensitive": lambda value: value,
    "base64encode": lambda s: base64.b64encode(_to_string(s).encode()).decode(),
    "base64decode": lambda s: base64.b64decode(_to_string(s)).decode(),
    "abs": lambda n: abs(_number(n)),
    "max": lambda *n: max(_number(x) for x in n),
}
_PASSES_UNKNOWN = {"coalesce", "lookup", "merge"}  # they decide themselves what an Unknown argument means
# List functions that only move elements: an unknown element stays an unknown element of the result.
_KEEPS_UNKNOWN_ELEMENTS = {"concat", "flatten", "tolist", "length", "element", "keys", "values", "one",
                           "slice", "reverse"}


def _partial(name: str, function: Callable[..., Any], args: list[Any]) -> Any:
    """What is known of a function's result despite an unknown argument, for rules to read.

    jsonencode keeps the encoded object; format and join keep their text with `${ref}` holes, as a
    template does, so `format("%s*", x.execution_arn)` does not pass for the bare reference.
    """
    if name == "jsonencode":
        return args[0] if args else None
    if name in ("format", "join"):
        try:
            return function(*[_hole(arg) for arg in args])
        except (EvalError, TypeError, ValueError, KeyError, IndexError):
            return None
    return None


def _hole(value: Any, made: dict[int, list] | None = None) -> Any:
    if isinstance(value, Unknown):
        return value.partial if isinstance(value.partial, str) else "${" + (value.refs[0] if value.refs else "?") + "}"
    if isinstance(value, list):
        made = {} if made is None else made
        if id(value) not in made:  # a list held many times is rebuilt once
            made[id(value)] = [_hole(item, made) for item in value]
        return made[id(value)]
    return value


# -------------------------------------------------------------------------------- block expansion


def instance_keys(syntax: SyntaxBlock, scope: Scope) -> tuple[list[tuple[Any, dict[str, Any]]], Unknown | None]:
    """The instances `count`/`for_each` give a block: [(key, bindings)], or one unkeyed instance, counted
    against the scan's budget of instances.

    When the expansion cannot be known (or is too large for the block or for what is left of the scan's
    budget), one instance stands for all of them, its count.index/each.* unknown, and the reason comes back
    so rules can say why.
    """
    instances, unknown = _instance_keys(syntax, scope)
    budget = scope.module.budget
    if len(instances) > 1 and budget.instances + len(instances) > limits.MAX_SCAN_INSTANCES:
        meta = "count" if "count" in syntax.attributes else "for_each"
        unknown = Unknown(f"{meta} gives {len(instances)} instances, over the scan's budget of "
                          f"{limits.MAX_SCAN_INSTANCES} resource and module instances")
        instances = [(None, {"count": {"index": unknown}} if meta == "count" else
                      {"each": {"key": unknown, "value": unknown}})]
    budget.instances += len(instances)
    return instances, unknown


def _instance_keys(syntax: SyntaxBlock, scope: Scope) -> tuple[list[tuple[Any, dict[str, Any]]], Unknown | None]:
    if "count" in syntax.attributes:
        count = evaluate(syntax.attributes["count"].expr, scope)
        if isinstance(count, Unknown):
            reason = Unknown(f"count is unknown ({count.reason})", count.refs)
            return [(None, {"count": {"index": reason}})], reason
        if (isinstance(count, bool) or not isinstance(count, int | float) or count < 0
                or (isinstance(count, float) and not count.is_integer())):
            reason = Unknown(f"count must be a whole number, not {_show(count)}")
            return [(None, {"count": {"index": reason}})], reason
        if count > MAX_INSTANCES:
            reason = Unknown(f"count = {int(count)} is over the expansion limit of {MAX_INSTANCES}")
            return [(None, {"count": {"index": reason}})], reason
        return [(index, {"count": {"index": index}}) for index in range(int(count))], None
    if "for_each" in syntax.attributes:
        each = evaluate(syntax.attributes["for_each"].expr, scope)
        if isinstance(each, list) and not contains_unknown(each):
            each = {_to_string(item): item for item in each}
        if isinstance(each, dict) and len(each) <= MAX_INSTANCES:
            return [(key, {"each": {"key": key, "value": value}}) for key, value in each.items()], None
        if isinstance(each, Unknown):
            reason = Unknown(f"for_each is unknown ({each.reason})", each.refs)
        elif isinstance(each, dict):
            reason = Unknown(f"for_each has {len(each)} elements, over the expansion limit of {MAX_INSTANCES}")
        else:
            reason = Unknown(f"for_each must be a map or a set of strings, not {_show(each)}")
        return [(None, {"each": {"key": reason, "value": reason}})], reason
    return [(None, {})], None


def expand_nested(block: Block) -> list[Block]:
    """A block's nested blocks, with each `dynamic` block replaced by the blocks it generates."""
    nested: list[Block] = []
    for syntax in block.syntax.blocks:
        if syntax.type == "dynamic" and syntax.labels:
            nested.extend(_expand_dynamic(block, syntax))
            continue
        nested.append(_nested_block(block, syntax, syntax.type, block.bindings))
    return nested


def _nested_block(parent: Block, syntax: SyntaxBlock, type_: str, bindings: dict[str, Any],
                  line: int | None = None) -> Block:
    path = f"{parent.path}.{type_}" if parent.path else type_
    # The parent's own class (gateaudit.hcl's HclBlock): naming it here would close an import circle.
    return type(parent)(kind="nested", type=type_, name=type_, address=parent.address,
                            location=Location(syntax.file or parent.location.file, line or syntax.line),
                            module=parent.module, syntax=syntax, parent=parent, bindings=bindings,
                            instance_key=parent.instance_key, path=path)


def _expand_dynamic(block: Block, syntax: SyntaxBlock) -> list[Block]:
    label = syntax.labels[0]
    iterator_attr = syntax.attributes.get("iterator")
    iterator = label
    if iterator_attr is not None and isinstance(iterator_attr.expr, Traversal):
        iterator = str(iterator_attr.expr.root)
    content = next((b for b in syntax.blocks if b.type == "content"), None)
    if content is None:
        return []
    content_syntax = SyntaxBlock(label, (), content.line, content.attributes, content.blocks, file=syntax.file)
    for_each = syntax.attributes.get("for_each")
    collection = evaluate(for_each.expr, block.scope) if for_each else Unknown("dynamic block without for_each")
    budget = block.module.budget
    if isinstance(collection, list) and not contains_unknown(collection):
        pairs = list(enumerate(collection))
    elif isinstance(collection, dict):
        pairs = list(collection.items())
    else:
        reason = collection if isinstance(collection, Unknown) else Unknown(f"for_each is {_show(collection)}")
        return [_unknown_dynamic(block, syntax, content_syntax, iterator, reason,
                                 Unknown(f"dynamic \"{label}\" for_each is unknown ({reason.reason})", reason.refs))]
    over = None
    if len(pairs) > MAX_INSTANCES:  # judged as one unknown block: cut at the limit, the rest would pass unseen
        over = f"over the expansion limit of {MAX_INSTANCES}"
    elif budget.instances + len(pairs) > limits.MAX_SCAN_INSTANCES:
        over = f"over the scan's budget of {limits.MAX_SCAN_INSTANCES} resource and module instances"
    if over is not None:
        reason = Unknown(f"dynamic \"{label}\" for_each has {len(pairs)} elements, {over}")
        return [_unknown_dynamic(block, syntax, content_syntax, iterator, reason, reason)]
    budget.instances += len(pairs)
    return [_nested_block(block, content_syntax, label, {**block.bindings, iterator: {"key": k, "value": v}},
                          syntax.line) for k, v in pairs]


def _unknown_dynamic(block: Block, syntax: SyntaxBlock, content: SyntaxBlock, iterator: str, value: Unknown,
                     expansion: Unknown) -> Block:
    """One block standing for every block a `dynamic` generates, its iterator unknown: what it holds is
    judged, and whatever depends on the iterator is unknown, saying why."""
    block.module.budget.instances += 1
    bindings = {**block.bindings, iterator: {"key": value, "value": value}}
    generated = _nested_block(block, content, content.type, bindings, syntax.line)
    generated.expansion = expansion
    return generated


# ------------------------------------------------------------------ values decided at plan time


def _policy_document(block: Block) -> Any:
    from .policy_document import render

    return render(block)


PLAN_TIME_ATTRIBUTES: dict[tuple[str, str, str], Callable[[Block], Any]] = {
    ("data", "aws_iam_policy_document", "json"): _policy_document,
    ("data", "aws_iam_policy_document", "minified_json"): _policy_document,
}
