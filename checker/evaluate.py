"""Values of expressions, where the configuration alone decides them; `Unknown` where it does not.

The evaluator's interface is `evaluate` (an expression's value in a scope), `references` (the blocks an
expression refers to), `variable_value` and `local_value`. Values are plain Python and `Unknown`
(gateaudit.values), and a `ResourceObject` for a resource instance used as a value. A definite error (a
missing map key, a wrong type) inside `try()` moves on to the next argument; anywhere else it becomes an
Unknown that says what went wrong. Terraform's functions are in gateaudit.functions, the expansion of
`count`, `for_each` and `dynamic` in gateaudit.expansion.
"""

from __future__ import annotations

import json
import math
import os
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
from .functions import FUNCTIONS, KEEPS_UNKNOWN_ELEMENTS, PASSES_UNKNOWN, partial_result
from .model import Block, Budget, Module, Reference, Scope, Unknown, contains_unknown, unknowns
from .types import convert, read_type
from .values import EvalError, NotEvaluated, TooLarge, as_number, check_rendered, rendered_size, shown, to_string

__all__ = ["EvalError", "NotEvaluated", "ResourceObject", "evaluate", "local_value", "references", "variable_value"]

_BUILTIN_ROOTS = {"var", "local", "module", "data", "count", "each", "path", "terraform", "self", "ephemeral"}
_MAX_INT_BITS = math.floor(limits.MAX_NUMBER_DIGITS / math.log10(2))  # no integer of more bits has fewer digits


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
    return rendered_size(value) > limits.MAX_VALUE_SIZE


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
    if budget.steps > budget.max_steps:
        raise TooLarge(f"over the scan's evaluation budget of {budget.max_steps} steps: not evaluated")


def _spend(budget: Budget, size: int) -> None:
    """Count characters or elements built, or handed to a function, against the scan's budget."""
    budget.value_size += size
    if budget.value_size > budget.max_value_size:
        raise TooLarge(f"over the scan's budget of {budget.max_value_size} characters and elements of "
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
                raise EvalError(f"a condition must be true or false, not {shown(decided)}")
            return _eval(if_true if decided else if_false, scope)
        case TupleExpr(items=items):
            return [_eval(item, scope) for item in items]
        case ObjectExpr(items=items):
            result: dict[str, Any] = {}
            for key_expr, value_expr in items:
                key = _eval(key_expr, scope)
                if isinstance(key, Unknown):
                    return Unknown(f"an object key is unknown ({key.reason})", key.refs)
                result[to_string(key)] = _eval(value_expr, scope)
            return result
        case BinaryOp():
            return _operator_chain(expr, scope)
        case UnaryOp(op=op, operand=operand):
            value = _eval(operand, scope)
            if isinstance(value, Unknown):
                return value
            if op == "!":
                if not isinstance(value, bool):
                    raise EvalError(f"! needs a bool, not {shown(value)}")
                return not value
            return -as_number(value)
        case ForExpr():
            return _for(expr, scope)
        case Unsupported(what=what):
            return Unknown(f"{what} is not evaluated by gateaudit")
    raise EvalError(f"unsupported expression {type(expr).__name__}")


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
            text.append(to_string(value))
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
    if _IN_TEMPLATE in scope.bindings:  # as in Terraform, a template file sees only the variables it is given
        return Unknown(f"{expr.dotted()} is not among the variables templatefile() gives the template")
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
        if name in ("module", "root"):
            # As Terraform gives them when run in the root module's folder: "." and the module's folder from
            # there, so file("${path.module}/x") reads the module's own file (gateaudit.files).
            return _module_path(module) if name == "module" else "."
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


def _module_path(module: Module) -> str:
    top = module
    while top.parent is not None:
        top = top.parent
    return os.path.relpath(module.directory, top.directory).replace(os.sep, "/")


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
    value = _given_value(module, name, declared, display)
    constraint = declared.get("type")
    spec = read_type(constraint.expr) if constraint is not None and constraint.expr is not None else None
    if spec is None:
        return value
    # Terraform converts whatever the variable is given to its type: optional() attributes and their defaults
    defaults = Scope(module, {})
    return convert(value, spec, lambda expr: _eval(expr, defaults), lambda: _step(module.budget))


def _given_value(module: Module, name: str, declared: Block, display: str) -> Any:
    """What the variable is given, before its type converts it: the call's argument, tfvars or the default."""
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
    """`module.NAME...`: an output of one instance, or the call as a whole (an object of outputs; a list of
    them for count, a map for for_each)."""
    instances = module.instances(name)
    address = module.address(f"module.{name}")
    call = module.calls.get(name)
    if not instances:
        if call is not None and _expands(call) and not any(b.kind == "module" and b.name == name
                                                           for b in module.blocks):  # count = 0, for_each = {}
            return _apply_steps([] if "count" in call.syntax.attributes else {}, steps, scope, address)
        return Unknown(f"module.{name} is not loaded (not scanned)", (f"module.{name}",))
    if call is not None and _expands(call) and instances[0].call.instance_key is None:  # expansion unknown
        if steps:
            return Unknown(f"{address}: {instances[0].call.expansion.reason}", (address,))
        return instances[0].call.expansion
    if steps and isinstance(steps[0], Index) and _expands(call):
        key = _eval(steps[0].key, scope)
        if isinstance(key, Unknown):
            return Unknown(f"the instance key of {address} is unknown ({key.reason})", (address, *key.refs))
        chosen = [child for child in instances if child.call.instance_key == key]
        if not chosen:
            raise EvalError(f"{address} has no instance {_show_key(key)}")
        return _outputs(chosen[0], steps[1:], scope)
    if call is None or not _expands(call):
        return _outputs(instances[0], steps, scope)
    if all(isinstance(child.call.instance_key, int) for child in instances):
        collection: Any = [_outputs(child, (), scope) for child in instances]
    else:
        collection = {str(child.call.instance_key): _outputs(child, (), scope) for child in instances}
    return _apply_steps(collection, steps, scope, address)


def _expands(call: Block | None) -> bool:
    """Whether a module call has count or for_each: its instances are then keyed."""
    attributes = getattr(getattr(call, "syntax", None), "attributes", {})
    return "count" in attributes or "for_each" in attributes


def _outputs(child: Module, steps: tuple, scope: Scope) -> Any:
    """One module instance's outputs: the one `steps` names, or all of them as an object."""
    where = child.key
    if steps and isinstance(steps[0], GetAttr):
        output = child.outputs.get(steps[0].name)
        if output is None:
            raise EvalError(f"{where} has no output {steps[0].name!r}")
        return _apply_steps(output.value("value"), steps[1:], scope, f"{where}.{steps[0].name}")
    whole = {output_name: output.value("value") for output_name, output in child.outputs.items()}
    return _apply_steps(whole, steps, scope, where)


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
    computed = _PLAN_TIME_ATTRIBUTES.get((block.kind, block.type, attribute))
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
                raise EvalError(f"{where} is {shown(value)}; it has no attribute {step.name!r}")
            if step.name not in value:
                raise EvalError(f"{where} has no attribute {step.name!r}")
            value = value[step.name]
            where = f"{where}.{step.name}"
            continue
        key = _eval(step.key, scope)
        if isinstance(key, Unknown):
            return Unknown(f"an index into {where} is unknown ({key.reason})", key.refs)
        if isinstance(value, list):
            index = as_number(key)
            if not isinstance(index, int) or not 0 <= index < len(value):
                raise EvalError(f"index {key} is out of range for {where}")
            value = value[index]
        elif isinstance(value, dict):
            if to_string(key) not in value:
                raise EvalError(f"{where} has no key {_show_key(key)}")
            value = value[to_string(key)]
        else:
            raise EvalError(f"{where} is {shown(value)}; it cannot be indexed")
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
            _follow_iterator(root, scope, found, visiting)
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
        elif root == "module" and names and names[0]:
            _follow_outputs(module, names[0], steps[1:], scope, found, visiting)
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


def _follow_outputs(module: Module, name: str, steps: tuple, scope: Scope, found: dict, visiting: set) -> None:
    for child, output_name, output in module_outputs(module, name, steps, scope):
        key = ("output", id(child), output_name)
        if output.has("value") and key not in visiting:
            visiting.add(key)
            _collect_references(output.get("value").expr, Scope(child, {}), found, visiting)


def module_outputs(module: Module, name: str, steps: tuple, scope: Scope) -> list[tuple[Module, str, Block]]:
    """The outputs `module.NAME` followed by `steps` may read, as (instance, output name, output block):
    `module.routes["a"].out` one, `module.api.out` one per instance, `module.routes` every output of every
    instance; all instances when the key is unknown."""
    children = module.instances(name)
    if steps and isinstance(steps[0], Index):
        key = evaluate(steps[0].key, scope)
        if not isinstance(key, Unknown):
            children = [c for c in children if c.call is not None and c.call.instance_key == key] or children
        steps = steps[1:]
    named = steps[0].name if steps and isinstance(steps[0], GetAttr) else None
    return [(child, output_name, output) for child in children for output_name, output in child.outputs.items()
            if named is None or output_name == named]


def _follow_iterator(name: str, scope: Scope, found: dict, visiting: set) -> None:
    """A `dynamic` block's iterator (`access_log_settings.value`) refers to what its for_each collection holds:
    follow that expression, over-approximating as `_follow_for_each` does."""
    block = scope.block
    while block is not None:
        # Only blocks a `dynamic` generated (gateaudit.hcl) carry iterator sources: reached by name, not imported.
        source = getattr(block, "iterator_sources", {}).get(name)
        if source is not None:
            expr, outer = source
            key = ("dynamic", id(expr), id(outer.block))
            if key not in visiting:
                visiting.add(key)
                _collect_references(expr, outer, found, visiting)
            return
        block = block.parent


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
    a, b = as_number(left), as_number(right)
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
        check_rendered(left)  # two values built from the same parts compare part by part, as rendered
        check_rendered(right)
    return left == right


def _for(expr: ForExpr, scope: Scope) -> Any:
    collection = _eval(expr.collection, scope)
    if isinstance(collection, Unknown):
        return Unknown(f"the collection of a for expression is unknown ({collection.reason})", collection.refs)
    if isinstance(collection, dict):
        pairs = list(collection.items())
    elif isinstance(collection, list):
        pairs = list(enumerate(collection))
    else:
        raise EvalError(f"a for expression cannot iterate over {shown(collection)}")
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
        out_key = to_string(out_key)
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
    if name in ("file", "templatefile"):
        return _read_file(expr, scope)
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
    if name in PASSES_UNKNOWN:
        return function(*args)
    if name in KEEPS_UNKNOWN_ELEMENTS:
        unknown = next((arg for arg in args if isinstance(arg, Unknown)), None)  # only a whole argument
    else:
        unknown = _unknown_in(*args)
    if unknown is not None:
        unknown = _unknown_in(unknown, *args) if name not in KEEPS_UNKNOWN_ELEMENTS else unknown
        return Unknown(unknown.reason, unknown.refs, partial_result(name, function, args))
    try:
        return function(*args)
    except (TypeError, ValueError, KeyError, IndexError, ArithmeticError) as error:
        raise EvalError(f"{name}(): {error}") from None


_IN_TEMPLATE = "templatefile()"  # a binding no identifier can name: set while a template file is rendered


def _read_file(expr: Call, scope: Scope) -> Any:
    """file() and templatefile() of a file of the repository, through the reader the loader installs."""
    name = expr.name
    wanted = 1 if name == "file" else 2
    if len(expr.args) != wanted or expr.expand_last:
        raise EvalError(f"{name}() takes {wanted} argument{'s' if wanted > 1 else ''}")
    path = _eval(expr.args[0], scope)
    if isinstance(path, Unknown):
        return Unknown(f"{name}(): the path is unknown ({path.reason})", path.refs)
    if not isinstance(path, str):
        raise EvalError(f"{name}() needs a path, not {shown(path)}")
    called = f"{name}({json.dumps(path)})"  # escaped: the path is the scanned tree's text
    if _IN_TEMPLATE in scope.bindings:  # Terraform refuses these inside a template file
        return Unknown(f"{called} inside a template file is not evaluated")
    files = scope.module.budget.files
    if files is None:
        return Unknown(f"{called} is not read: no file of this stack can be read")
    if name == "file":
        text = files.text(scope.module, path)
        return Unknown(f"{called} {text.reason}") if isinstance(text, Unknown) else text
    variables = _eval(expr.args[1], scope)
    if isinstance(variables, Unknown):
        return Unknown(f"{called}: its variables are unknown ({variables.reason})", variables.refs)
    if not isinstance(variables, dict):
        raise EvalError(f"templatefile() needs a map of variables, not {shown(variables)}")
    template = files.template(scope.module, path)
    if isinstance(template, Unknown):
        return Unknown(f"{called} {template.reason}")
    return _eval(template, Scope(scope.module, {**variables, _IN_TEMPLATE: True}))


def _try(args: tuple[Expr, ...], scope: Scope) -> Any:
    errors = []
    for arg in args:
        try:
            return _eval(arg, scope)
        except EvalError as error:
            errors.append(str(error))
    raise EvalError("no argument of try() could be evaluated: " + "; ".join(errors))


# ------------------------------------------------------------------ values decided at plan time


def _policy_document(block: Block) -> Any:
    from .iam_document import render

    return render(block)


_PLAN_TIME_ATTRIBUTES: dict[tuple[str, str, str], Callable[[Block], Any]] = {
    ("data", "aws_iam_policy_document", "json"): _policy_document,
    ("data", "aws_iam_policy_document", "minified_json"): _policy_document,
}

