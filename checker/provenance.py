"""Where a value comes from (`gateaudit.provenance`): which expressions and literals of the configuration
wrote it, through variables, locals, module inputs and outputs, tfvars, `each.value` and function calls, and
where each was written.

Rules ask this module; they never walk expressions. For a value a source gave outright (a plan, an AWS
account, a model built by hand: an `Attribute` with no `expr`), the value is all there is: it was written
where its `location` says, by nothing this module can look into.

- `origin(attribute, secret_name)`: written in the configuration ("fixed", a committed file that `file()`
  reads included: `files_read`), supplied at apply time, or impossible to tell; `written_in(attribute)`:
  through which variables or locals, for messages.
- `map_entries(attribute)`: where each key of a map is written; `instance_entry(attribute)`: where the
  for_each entry an argument reads through `each` is written; `fixed_outcomes(written)`: the literal
  branches or fallbacks an expression may take; `plain(attribute)`: built from references alone.
- `built_by(attribute, value)`, `built_unknowns(attribute)`: which unknowns a function, a for expression or an
  undecided conditional built around a reference, so that they are not read as the reference itself.
- `written_by(attribute)`: the literals and templates the value is written from, each with its file and line;
  `flows_into(attribute)`: every expression whose value may become part of the argument's.
- `is_reference`, `is_conditional`, `template_of`: how an argument is written, where a rule's verdict
  depends on the spelling (a quick-create `target` that is a conditional; a log group named after a function).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .evaluate import evaluate, module_outputs, variable_value
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
    Template,
    Traversal,
    TupleExpr,
    UnaryOp,
    Unsupported,
    operator_chain,
    walk,
)
from .functions import FUNCTIONS
from .model import Attribute, Block, Location, Module, Scope, Unknown, contains_unknown, unknowns


@dataclass(frozen=True)
class Written:
    """An expression of the configuration that writes (part of) a value, in the scope it is evaluated in, and
    where it is written (file and line)."""

    expr: Expr
    scope: Scope
    location: Location

    @property
    def value(self) -> Any:
        return evaluate(self.expr, self.scope)

    def part(self, expr: Expr, scope: Scope | None = None) -> Written:
        """A part of this expression (or one in the same file): written where it starts."""
        return Written(expr, self.scope if scope is None else scope, Location(self.location.file, expr.line))


def _of(attribute: Attribute) -> Written:
    return Written(attribute.expr, attribute.block.scope, attribute.location)


def written_by(attribute: Attribute, seen: set | None = None) -> list[Written]:
    """The literals and templates the argument's value is written from, wherever the configuration writes
    them (the argument, locals, variable defaults and tfvars, module arguments and outputs, resource
    arguments), each with its file and line; [] for a value a source gave outright (its `location` is all
    there is). `seen`, shared between calls, gives each once over all of them (`flows_into`)."""
    return [w for w in flows_into(attribute, seen) if isinstance(w.expr, Literal | Template)]


# ------------------------------------------------------------------------------------ how it is written

def is_reference(attribute: Attribute) -> bool:
    """The argument is written as a bare reference (`var.environment`, `local.x`, `aws_x.y.arn`)."""
    return isinstance(attribute.expr, Traversal)


def is_conditional(attribute: Attribute) -> bool:
    """The argument is written as a conditional (`var.on ? x : null`)."""
    return isinstance(attribute.expr, Conditional)


def template_of(attribute: Attribute) -> tuple[str | bool, ...] | None:
    """A string argument written as one template: its literal text and, for each `${...}`, whether it is a
    plain reference (its blocks are the argument's `references`); None when it is not written as a template."""
    expr = attribute.expr
    if not isinstance(expr, Template):
        return None
    return tuple(part if isinstance(part, str) else isinstance(part, Traversal) for part in expr.parts)


def ignored_changes(block: Block) -> frozenset[str] | Unknown:
    """The arguments whose changes `lifecycle { ignore_changes = [...] }` tells Terraform to ignore, by path
    (`value`, `tags.team`); {"all"} for `all`; empty without one. Terraform reads the list as written, so it is
    read from the expression (a source that gives values outright gives the names as strings)."""
    found: set[str] = set()
    for lifecycle in block.blocks("lifecycle"):
        attribute = lifecycle.get("ignore_changes")
        if attribute is None:
            continue
        expr = attribute.expr
        if expr is None:
            value = attribute.value
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                return Unknown(f"ignore_changes is {value!r}, not a list of argument names")
            found.update(value)
            continue
        items = expr.items if isinstance(expr, TupleExpr) else (expr,)
        for item in items:
            name = _ignored_name(item)
            if name is None:
                return Unknown("ignore_changes names an argument gateaudit cannot read")
            found.add(name)
    return frozenset(found)


def _ignored_name(expr: Expr) -> str | None:
    if isinstance(expr, Literal) and isinstance(expr.value, str):  # Terraform 0.11 spelled them as strings
        return expr.value
    if isinstance(expr, Traversal) and isinstance(expr.root, str):
        steps = [step.name for step in expr.steps if isinstance(step, GetAttr)]
        return ".".join([expr.root, *steps]) if len(steps) == len(expr.steps) else None
    return None


def set_in_tfvars(variable: Block) -> Written | None:
    """A root variable's value as a tfvars file (or --var-file) sets it, and where; None when none does."""
    module = variable.module
    if module.call is not None or variable.name not in module.variable_values:
        return None
    assigned = module.variable_values[variable.name]
    return Written(assigned.attribute.expr, Scope(module, {}), assigned.location)


# ---------------------------------------------------------------------------- unknowns built by functions

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
    return next((what for built, what in built_unknowns(attribute) if (built.reason, built.refs) == key), None)


def built_unknowns(attribute: Attribute) -> list[tuple[Unknown, str]]:
    """Every Unknown without text that some function, for expression or conditional in the argument's
    expression (or in what it refers to) produced, with a description of what produced it."""
    found: list[tuple[Unknown, str]] = []
    if attribute.expr is not None:
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
            found.extend((leaf, what) for leaf in unknowns(value) if leaf.partial is None)
    if isinstance(expr, Traversal) and isinstance(expr.root, str):
        for inner in _sources(expr, scope):
            _visit(inner.expr, inner.scope, found, seen, depth + 1)
    for child in _children(expr):
        _visit(child, scope, found, seen, depth + 1)


def flows_into(attribute: Attribute, seen: set | None = None) -> Iterator[Written]:
    """Every expression, with its scope and place, whose value may become part of the argument's: its own
    nodes (not conditions, object keys, indexes or comparisons: they choose a value, they are not one) and,
    behind each reference, what the configuration writes for it: locals, module inputs and outputs, variable
    defaults and tfvars values, resource arguments, `for_each` and dynamic block collections.

    Each expression is given once per scope; `seen` shared between calls gives it once over all of them.
    No depth limit: a chain of a thousand locals is followed to its end (`seen` ends cycles)."""
    seen = set() if seen is None else seen
    todo = [_of(attribute)] if attribute.expr is not None else []
    while todo:
        written = todo.pop()
        expr, scope = written.expr, written.scope
        key = (id(expr), id(scope.block) if scope.block is not None else id(scope.module))
        if key in seen:
            continue
        seen.add(key)
        yield written
        if isinstance(expr, Traversal) and isinstance(expr.root, str):
            todo.extend(_sources(expr, scope, assigned=True))
        todo.extend(written.part(child) for child in _value_parts(expr))


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


def _sources(node: Traversal, scope: Scope, assigned: bool = False) -> list[Written]:
    """The expressions a reference takes its value from, where the configuration writes them. `assigned`:
    also a variable's default and tfvars value, and the collection a dynamic block's iterator walks."""
    module = scope.module
    names = [s.name if isinstance(s, GetAttr) else None for s in node.steps]
    root = node.root
    if root == "local" and names and names[0] in module.locals:
        local = module.locals[names[0]]
        return [Written(local.expr, Scope(module, {}), local.location)]
    if assigned and root == "var" and names and names[0] in module.variables:
        return _assignments(module, names[0])
    if root == "var" and names and module.call is not None and module.call.get(names[0]) is not None:
        return [_of(module.call.get(names[0]))]
    if assigned and root in scope.bindings and root not in ("each", "count"):
        return _iterated(scope.block, root)
    if root == "module" and names and names[0]:  # through every instance the reference may read
        values = [output.get("value") for _, _, output in module_outputs(module, names[0], node.steps[1:], scope)]
        return [_of(value) for value in values if value is not None]
    if root == "each" and scope.block is not None:  # each.value: what the block's for_each map holds
        top = scope.block
        while top.parent is not None:
            top = top.parent
        for_each = top.syntax.attributes.get("for_each")
        return [Written(for_each.expr, Scope(module, {}), Location(for_each.file or top.location.file, for_each.line))
                ] if for_each is not None else []
    if root in ("var", "local", "module", "path", "terraform", "self", "count", "each") or root in scope.bindings:
        return []
    kind = root if root in ("data", "ephemeral") else "resource"
    path = names if kind != "resource" else [root, *names]  # type, name, then an index or the argument
    if len(path) < 2 or None in path[:2]:
        return []
    blocks: list[Block] = module.resources.get((kind, path[0], path[1]), [])
    if kind == "data" and path[0] in _DOCUMENTS:
        return [written for block in blocks for written in _all_arguments(block)]
    argument = next((name for name in path[2:] if name is not None), None)  # `x[0].arn`: skip the index
    return [_of(b.get(argument)) for b in blocks if argument and b.get(argument) is not None]


def _assignments(module: Module, name: str) -> list[Written]:
    """Every value a variable may be given: the module call's argument or the tfvars value, and the default."""
    found = []
    given = module.call.get(name) if module.call is not None else None
    if given is not None:
        found.append(_of(given))
    if module.call is None and name in module.variable_values:
        assigned = module.variable_values[name]
        found.append(Written(assigned.attribute.expr, Scope(module, {}), assigned.location))
    default = module.variables[name].get("default")
    if default is not None:
        found.append(_of(default))
    return found


def _iterated(block: Block | None, iterator: str) -> list[Written]:
    """The `for_each` of the dynamic block whose iterator is `iterator`, around `block`."""
    while block is not None and block.parent is not None:
        parent = block.parent
        for syntax in parent.syntax.blocks:
            if syntax.type != "dynamic" or not syntax.labels or "for_each" not in syntax.attributes:
                continue
            named = syntax.attributes.get("iterator")
            name = named.expr.root if named is not None and isinstance(named.expr, Traversal) else syntax.labels[0]
            if name == iterator:
                for_each = syntax.attributes["for_each"]
                return [Written(for_each.expr, parent.scope,
                                Location(for_each.file or parent.location.file, for_each.line))]
        block = parent
    return []


def _all_arguments(block: Block) -> list[Written]:
    found = [_of(a) for a in block.attributes.values()]
    for nested in block.nested:
        found += _all_arguments(nested)
    return found


# ----------------------------------------------------------------------------------------------- origin

_BUILTIN_ROOTS = {"local", "module", "path", "terraform", "self", "count", "each"}
_PASS_THROUGH = ("coalesce", "try", "sensitive", "nonsensitive", "tostring")  # any argument may be the value
_PLAIN_FUNCTIONS = {"jsonencode", "jsondecode", "yamldecode", "base64decode", "format", "join", "merge", "tostring",
                    "trimspace", "lower", "upper"}  # decoding a value read at apply time writes no literal


@dataclass(frozen=True)
class Origin:
    """Where a value comes from: "fixed" (written in the configuration: `value` is it), "supplied" (only
    known at apply time: `detail` names the sources) or "unresolved" (`detail` says why)."""

    source: str
    value: Any = None
    detail: str = ""
    location: Location | None = None  # a fixed value read from a committed file (file()): that file


def origin(attribute: Attribute, secret_name: Callable[[str], bool]) -> Origin:
    """Where the argument's value comes from. `secret_name` says which names call their value a secret: a
    literal under such a key of a jsonencode(...) object makes the whole value "fixed"."""
    value = attribute.value
    if attribute.expr is None and attribute.given is not None:
        return Origin(attribute.given[0], detail=attribute.given[1])
    if not contains_unknown(value):
        read = files_read(attribute)
        if read:  # committed with the code as much as a literal is
            return Origin("fixed", value, f"in {read[0].file}, read by {read[0].origin}", read[0])
        return Origin("fixed", value)
    supplied: list[str] = []
    unresolved: str | None = None
    if attribute.expr is None:  # given outright: its unknowns are all there is to judge
        leaves = list(unknowns(value, encoded=True))
        odd = next((leaf.reason for leaf in leaves if not supplied_at_apply(leaf)), None)
        if odd is not None:
            return Origin("unresolved", detail=odd)
        return Origin("supplied", detail=", ".join(dict.fromkeys(ref for leaf in leaves for ref in leaf.refs)))
    for expr, scope in _outcomes(attribute.expr, attribute.block.scope, 0):
        outcome = evaluate(expr, scope)
        if not contains_unknown(outcome):
            if outcome is not None:
                return Origin("fixed", outcome, "one branch or fallback is a literal")
            continue
        key = _literal_secret_key(outcome, secret_name)
        if key is not None:
            return Origin("fixed", None, f'jsonencode key "{key}" holds a literal')
        computed = _computed_from_literals(expr, scope)
        if computed is not None:
            return Origin("fixed", None, f"{computed}() computes it from values written in the configuration")
        leaves = list(unknowns(outcome, encoded=True))
        odd = next((leaf.reason for leaf in leaves if not supplied_at_apply(leaf)), None)
        if odd is None and not _plain(expr, scope):
            odd = "it goes through a conditional, a for expression or a function gateaudit does not evaluate"
        if odd is not None:
            unresolved = unresolved or odd
        supplied.extend(ref for leaf in leaves for ref in leaf.refs)
    if unresolved is not None:
        return Origin("unresolved", detail=unresolved)
    return Origin("supplied", detail=", ".join(dict.fromkeys(supplied)))


def files_read(attribute: Attribute) -> list[Location]:
    """The repository's files that `file()` or `templatefile()` read into the argument's value, wherever the
    configuration calls them (locals, variables, module arguments), each at its first line; `origin` names the
    function."""
    found: dict[str, Location] = {}
    for written in flows_into(attribute):
        expr = written.expr
        files = written.scope.module.budget.files
        if not (isinstance(expr, Call) and expr.name in ("file", "templatefile") and expr.args and files):
            continue
        path = evaluate(expr.args[0], written.scope)
        shown = files.shown(written.scope.module, path) if isinstance(path, str) else None
        if shown is not None and not contains_unknown(written.value):
            found.setdefault(shown, Location(shown, 1, f"{expr.name}()"))
    return list(found.values())


_FROM_OUTSIDE = ("file", "templatefile", "uuid", "timestamp", "plantimestamp")  # files, or new at each run


def _computed_from_literals(expr: Expr, scope: Scope) -> str | None:
    """The function gateaudit does not evaluate (`base64encode`, `sha256`...) that makes an expression unknown
    although every value it reads is written in the configuration; None when some input is not."""
    nodes = list(walk(expr))
    calls = [n.name for n in nodes if isinstance(n, Call)]
    if not calls or any(name.startswith(_FROM_OUTSIDE) for name in calls) or any(
            isinstance(n, Unsupported | ForExpr) for n in nodes):
        return None
    references = [n for n in nodes if isinstance(n, Traversal)]
    if any(contains_unknown(evaluate(n, scope)) for n in references):
        return None
    literals = [n for n in nodes if isinstance(n, Literal | Template)]
    return next((name for name in calls if name not in FUNCTIONS), None) if literals or references else None


def _outcomes(expr: Expr, scope: Scope, depth: int) -> list[tuple[Expr, Scope]]:
    """The expressions the value may come from: each branch of an undecided conditional, each argument of
    coalesce()/try(), followed through locals and module inputs."""
    if depth > 16:
        return [(expr, scope)]
    match expr:
        case Conditional(condition=condition, if_true=if_true, if_false=if_false):
            decided = evaluate(condition, scope)
            undecided = not isinstance(decided, bool)
            branches = [if_true, if_false] if undecided else [if_true if decided else if_false]
            return [o for branch in branches for o in _outcomes(branch, scope, depth + 1)]
        case Call(name=name, args=args, expand_last=False) if name in _PASS_THROUGH and args:
            if name == "coalesce":  # null and "" are skipped, never the result
                args = tuple(a for a in args if not (isinstance(a, Literal) and a.value in (None, "")))
            return [o for arg in args for o in _outcomes(arg, scope, depth + 1)]
        case Traversal() if (alias := _alias(expr, scope)) is not None:
            return _outcomes(alias.expr, alias.scope, depth + 1)
    return [(expr, scope)]


def fixed_outcomes(written: Written) -> list[Any]:
    """The values written in the configuration that an expression may take: each fully known branch of an
    undecided conditional, each known coalesce()/try() fallback (null excluded)."""
    values = (evaluate(e, s) for e, s in _outcomes(written.expr, written.scope, 0))
    return [value for value in values if value is not None and not contains_unknown(value)]


def map_entries(attribute: Attribute) -> dict[str, Written]:
    """Where each key of a map argument is written: `{ KEY = ... }`, `merge(..., { KEY = ... })` (the last
    wins), followed through locals and module inputs. Keys built some other way are absent."""
    return {} if attribute.expr is None else _map_entries(_of(attribute))


def _map_entries(written: Written, depth: int = 0, assigned: bool = False) -> dict[str, Written]:
    found: dict[str, Written] = {}
    if depth > 16:
        return found
    match written.expr:
        case ObjectExpr(items=items):
            for key_expr, value_expr in items:
                key = evaluate(key_expr, written.scope)
                if isinstance(key, str):
                    found[key] = written.part(value_expr)
        case Call(name="merge", args=args, expand_last=False):
            for arg in args:
                found.update(_map_entries(written.part(arg), depth + 1, assigned))
        case Traversal() if (alias := _alias(written.expr, written.scope, assigned)) is not None:
            return _map_entries(alias, depth + 1, assigned)
    return found


def _alias(expr: Traversal, scope: Scope, assigned: bool = False) -> Written | None:
    """What a bare `local.x`, or a `var.x` the module call gives, stands for, where it is written. `assigned`:
    a variable's tfvars value or default too, when nothing else sets it (what it is given first wins)."""
    if expr.root not in ("local", "var") or len(expr.steps) != 1 or not isinstance(expr.steps[0], GetAttr):
        return None
    found = _sources(expr, scope, assigned)
    return found[0] if found else None


def instance_entry(attribute: Attribute) -> Written | None:
    """Where the map entry that made this `for_each` instance is written, when the argument is read from it
    (`each.value.authorization_type`): `KEY = { ... }` of a map literal in the for_each, a local, or what a
    variable is given (module argument, tfvars, default). None when the argument does not use `each`, or the
    entry is not written as a literal key (a for expression, a function's result)."""
    block = attribute.block
    while block.parent is not None:
        block = block.parent
    if attribute.expr is None:
        return None
    if not any(isinstance(node, Traversal) and node.root == "each" for node in walk(attribute.expr)):
        return _entry_of_module_instance(attribute, block)
    if not isinstance(block.instance_key, str):
        return None
    for_each = block.get("for_each")
    if for_each is None or for_each.expr is None:
        return None
    return _map_entries(_of(for_each), assigned=True).get(block.instance_key)


def _entry_of_module_instance(attribute: Attribute, block: Block) -> Written | None:
    """`var.route.authorization_type` in a module called with `for_each`: the entry of that instance, when the
    call gives the variable from `each` (`route = each.value`)."""
    call = block.module.call
    if call is None or not isinstance(call.instance_key, str):
        return None
    for node in walk(attribute.expr):
        if isinstance(node, Traversal) and node.root == "var" and node.steps and isinstance(node.steps[0], GetAttr):
            given = call.get(node.steps[0].name)
            entry = instance_entry(given) if given is not None else None
            if entry is not None:
                return entry
    return None


def plain(attribute: Attribute) -> bool:
    """Does the argument's value flow from references alone, through locals, module inputs, resource
    arguments and outputs, without an undecided conditional, a for expression or a function the evaluator
    does not model? Then every unknown in it stands for something unknown until apply, not for a hidden
    literal. A value given outright is plain: nothing built it."""
    return attribute.expr is None or _plain(attribute.expr, attribute.block.scope)


def _plain(expr: Expr, scope: Scope, depth: int = 0) -> bool:
    if depth > 16:
        return False
    for node in walk(expr):
        if isinstance(node, ForExpr | Unsupported):
            return False
        if isinstance(node, Call) and node.name not in _PLAIN_FUNCTIONS:
            return False
        if isinstance(node, Conditional) and not isinstance(evaluate(node.condition, scope), bool):
            return False
        if isinstance(node, Traversal) and isinstance(node.root, str) \
                and not all(_plain(w.expr, w.scope, depth + 1) for w in _sources(node, scope)):
            return False
    return True


def supplied_at_apply(leaf: Unknown) -> bool:
    """The Unknown waits for a variable without value, or a resource, data source or ephemeral attribute
    (not a module gateaudit did not load, a path, or an expression it could not evaluate)."""
    if not leaf.refs or (isinstance(leaf.partial, str) and "${?}" in leaf.partial):
        return False
    roots = []
    for ref in leaf.refs:
        parts = ref.split(".")
        nested = parts[0] == "module"
        while parts[0] == "module" and len(parts) > 2:
            parts = parts[2:]
        roots.append("child-var" if nested and parts[0] == "var" else parts[0])
    runtime = [r for r in roots if r not in _BUILTIN_ROOTS]
    return len(runtime) == len(roots) and any(r != "child-var" for r in roots)


def _literal_secret_key(value: Any, secret_name: Callable[[str], bool]) -> str | None:
    """A key of a jsonencode(...) object that is secret-like and holds a literal string."""
    if isinstance(value, Unknown):
        return _literal_secret_key(value.partial, secret_name) if isinstance(value.partial, dict | list) else None
    if isinstance(value, dict):
        for key, item in value.items():
            if secret_name(key) and isinstance(item, str):
                return key
            found = _literal_secret_key(item, secret_name)
            if found is not None:
                return found
    if isinstance(value, list):
        return next((k for item in value if (k := _literal_secret_key(item, secret_name)) is not None), None)
    return None


def written_in(attribute: Attribute) -> str:
    """Where a fixed value is written, for messages: through which variables (and where they are set) or
    locals, or which committed file file() read it from, else "as a literal"."""
    places = []
    for ref in attribute.references:
        variable = ref.block
        if variable.kind != "variable":
            continue
        module = variable.module
        if variable_value(module, variable.name) is None:
            continue  # null: the literal is elsewhere (a coalesce() fallback)
        if module.call is None and variable.name in module.variable_values:
            places.append(f"{variable.address} set in {module.variable_values[variable.name].location}")
        elif module.call is not None and module.call.has(variable.name):
            places.append(f"{variable.address} set by {module.call.address}")
        elif variable.has("default"):
            places.append(f"the default of {variable.address}")
    if not places and attribute.expr is not None:
        places = sorted({f"local.{n.steps[0].name}" for n in walk(attribute.expr) if isinstance(n, Traversal)
                         and n.root == "local" and n.steps and isinstance(n.steps[0], GetAttr)})
    if places:
        return f"through {', '.join(places)}"
    read = files_read(attribute)
    return f"in {read[0].file}, read by {read[0].origin}" if read else "as a literal"
