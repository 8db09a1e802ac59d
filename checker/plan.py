"""Terraform plan and state JSON (`terraform show -json`) as a source: the model from Terraform's own answer.

A plan has every module expanded, every variable and `for_each` resolved, and says itself what it cannot know
yet (`after_unknown`): each such value becomes an `Unknown` "known only after apply". Values are resolved, so
what refers to what comes from the plan's `configuration` (each argument's `references`, followed through
module calls and outputs). A state JSON (what is deployed) has no configuration: every value is known, and an
argument refers to another resource when its value is that resource's id or ARN.

Which file is a plan is decided by its content, never its name. Where each block is written is
`gateaudit.plan_config`'s question: the configuration beside the plan, when there is one.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import limits
from .model import Attribute, Block, Location, Module, Reference, Stack, Unknown, every_attribute, strings_in
from .schema import nested_blocks

AFTER_APPLY = "known only after apply"
ORIGIN = "plan"
# The key `gateaudit audit` adds to the state it writes of an account (gateaudit.aws): what it read, when, and
# which calls failed.
ACCOUNT_MARKER = "gateaudit_account"
FORMAT_MAJOR = "1"  # `terraform show -json` has written format 1.x since Terraform 0.12 (plans 1.2 in 1.11)
DESTROYING = ("delete",)  # a replaced resource (delete and create) is judged as the one created


class PlanError(Exception):
    """The file is not a plan or state JSON gateaudit can read: exit 2 with the reason."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.line = line


def kind_of(document: Any) -> str | None:
    """"plan" or "state" when the JSON is `terraform show -json` output, else None: by content alone."""
    if not isinstance(document, dict) or not isinstance(document.get("format_version"), str):
        return None
    if "planned_values" in document or "resource_changes" in document:
        return "plan"
    if "values" in document and isinstance(document["values"], dict) and "root_module" in document["values"]:
        return "state"
    if "terraform_version" in document and set(document) <= {"format_version", "terraform_version", "values"}:
        return "state"  # an empty state (nothing applied yet) has no values at all
    return None


def decode(data: bytes) -> dict:
    """The JSON document of a plan or state file, checked to be one gateaudit reads; PlanError otherwise."""
    try:
        text = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise PlanError(f"not valid UTF-8 (byte 0x{data[error.start]:02x})",
                        data.count(b"\n", 0, error.start) + 1) from None
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        what = "truncated JSON" if error.pos >= len(text.rstrip()) else f"not JSON ({error.msg})"
        raise PlanError(f"{what}: not a Terraform file (*.tf, *.tf.json), plan or state JSON", error.lineno) from None
    except RecursionError:
        raise PlanError("JSON nested too deeply to be a Terraform plan or state") from None
    kind = kind_of(document)
    if kind is None:
        raise PlanError("JSON, but not a Terraform plan or state (`terraform show -json` writes one with "
                        "format_version and planned_values, resource_changes or values)", 1)
    version = document["format_version"]
    if version.split(".")[0] != FORMAT_MAJOR:
        raise PlanError(f"format_version {version!r}: gateaudit reads {FORMAT_MAJOR}.x, what Terraform 0.12 to 1.x "
                        "write; a newer major may mean what it says differently", 1)
    _check_depth(document)
    _check_shape(document, kind)
    return document


def _check_depth(document: Any) -> None:
    """Values nested deeper than any Terraform plan nests them are refused before anything walks them."""
    todo = [(document, 1)]
    while todo:
        value, depth = todo.pop()
        if depth > limits.MAX_NESTING_DEPTH:
            raise PlanError(f"JSON nested deeper than {limits.MAX_NESTING_DEPTH} levels: not a plan Terraform wrote")
        if isinstance(value, dict):
            todo.extend((item, depth + 1) for item in value.values() if isinstance(item, dict | list))
        elif isinstance(value, list):
            todo.extend((item, depth + 1) for item in value if isinstance(item, dict | list))


def _check_shape(document: dict, kind: str) -> None:
    """Every part of the JSON gateaudit reads has the type Terraform writes: a hand-made or damaged file is an
    error naming where, never a resource silently left out."""
    def need(value: Any, types: type | tuple[type, ...], where: str) -> Any:
        if not isinstance(value, types):
            raise PlanError(f"{where} is {type(value).__name__}, not what terraform show -json writes there", 1)
        return value

    def module(values: Any, where: str, depth: int) -> None:
        need(values, dict, where)
        if depth > MAX_REFERENCE_DEPTH:
            raise PlanError(f"{where}: modules nested deeper than {MAX_REFERENCE_DEPTH}", 1)
        for index, entry in enumerate(need(values.get("resources", []), list, f"{where}.resources")):
            at = f"{where}.resources[{index}]"
            need(entry, dict, at)
            for key in ("address", "mode", "type", "name"):
                need(entry.get(key), str, f"{at}.{key}")
            need(entry.get("index"), (int, str, type(None)), f"{at}.index")
            need(entry.get("values", {}), (dict, type(None)), f"{at}.values")
        for index, child in enumerate(need(values.get("child_modules", []), list, f"{where}.child_modules")):
            need(need(child, dict, f"{where}.child_modules[{index}]").get("address"), str,
                 f"{where}.child_modules[{index}].address")
            module(child, f"{where}.child_modules[{index}]", depth + 1)

    def configured(config: Any, where: str, depth: int) -> None:
        need(config, dict, where)
        if depth > MAX_REFERENCE_DEPTH:
            raise PlanError(f"{where}: modules nested deeper than {MAX_REFERENCE_DEPTH}", 1)
        for index, entry in enumerate(need(config.get("resources", []), list, f"{where}.resources")):
            need(need(entry, dict, f"{where}.resources[{index}]").get("address"), str,
                 f"{where}.resources[{index}].address")
            need(entry.get("expressions", {}), dict, f"{where}.resources[{index}].expressions")
        for name in ("outputs", "variables"):
            for key, item in need(config.get(name, {}), dict, f"{where}.{name}").items():
                need(item, dict, f"{where}.{name}.{key}")
        for name, call in need(config.get("module_calls", {}), dict, f"{where}.module_calls").items():
            need(call, dict, f"{where}.module_calls.{name}")
            need(call.get("source", ""), str, f"{where}.module_calls.{name}.source")
            need(call.get("expressions", {}), dict, f"{where}.module_calls.{name}.expressions")
            configured(call.get("module", {}), f"{where}.module_calls.{name}.module", depth + 1)

    values = need(document.get("planned_values" if kind == "plan" else "values", {}), dict,
                  "planned_values" if kind == "plan" else "values")
    module(values.get("root_module", {}), "root_module", 0)
    prior = need(need(document.get("prior_state", {}), dict, "prior_state").get("values", {}), dict,
                 "prior_state.values")
    module(prior.get("root_module", {}), "prior_state.values.root_module", 0)
    for index, change in enumerate(need(document.get("resource_changes", []), list, "resource_changes")):
        at = f"resource_changes[{index}]"
        need(change, dict, at)
        for key in ("address", "type", "name"):
            need(change.get(key), str, f"{at}.{key}")
        need(change.get("module_address", ""), str, f"{at}.module_address")
        details = need(change.get("change"), dict, f"{at}.change")
        need(details.get("actions"), list, f"{at}.change.actions")
        for key in ("before", "after"):
            need(details.get(key), (dict, type(None)), f"{at}.change.{key}")
    configuration = need(document.get("configuration", {}), dict, "configuration")
    configured(configuration.get("root_module", {}), "configuration.root_module", 0)
    for key, provider in need(configuration.get("provider_config", {}), dict, "provider_config").items():
        need(need(provider, dict, f"provider_config.{key}").get("expressions", {}), dict,
             f"provider_config.{key}.expressions")
    for key, variable in need(document.get("variables", {}), dict, "variables").items():
        need(variable, dict, f"variables.{key}")


# ------------------------------------------------------------------------------------------------ addresses

_STEP = re.compile(r'\.?([A-Za-z_][A-Za-z0-9_-]*)|\[("(?:[^"\\]|\\.)*"|[0-9]+|[^\]]*)\]')


@lru_cache(maxsize=65536)
def steps(reference: str) -> tuple[str | int | tuple[str], ...]:
    """A Terraform address or reference in parts: names as str, `[0]` as int, `["k"]` as a 1-tuple (a key);
    an index Terraform did not evaluate (`[each.key]`) is left out."""
    found: list[str | int | tuple[str]] = []
    for match in _STEP.finditer(reference):
        name, index = match.groups()
        if name is not None:
            found.append(name)
        elif index.isdigit():
            found.append(int(index))
        elif index.startswith('"'):
            found.append((json.loads(index),))
    return tuple(found)


@lru_cache(maxsize=65536)
def _module_path(address: str) -> tuple[str, ...]:
    """`module.a["x"].module.b` -> ("a", "b"): the configuration a module instance is written by."""
    parts = [p for p in steps(address) if isinstance(p, str)]
    return tuple(parts[i + 1] for i in range(0, len(parts) - 1, 2) if parts[i] == "module")


# ------------------------------------------------------------------------------------------------ the source

@dataclass
class Written:
    """Where a block of the plan is written in its configuration, when gateaudit can place it
    (`gateaudit.plan_config` fills it in): the block's location and each argument's, by path."""

    block: Location
    arguments: dict[str, Location] = field(default_factory=dict)
    nested: dict[str, list[Location]] = field(default_factory=dict)  # nested block path -> each one's location
    # `lifecycle { ignore_changes = [...] }` as written (a plan leaves lifecycle out): the names, or None
    ignore_changes: list[str] | Unknown | None = None
    lifecycle: Location | None = None


@dataclass
class PlanSource:
    """One plan or state file being turned into modules and blocks."""

    document: dict
    kind: str  # "plan" or "state" (kind_of)
    shown: str  # the plan file as reports show it
    directory: Path
    display_dir: str
    stack: Stack
    # (module path, kind, type, name) -> where the configuration writes it; filled in by gateaudit.plan_config
    placed: dict[tuple[tuple[str, ...], str, str, str], Written] = field(default_factory=dict)
    modules: dict[str, Module] = field(default_factory=dict)  # module instance address -> Module
    changes: dict[str, dict] = field(default_factory=dict)  # resource address -> its resource_changes entry
    # module path -> resource address -> its expressions, as the configuration writes them
    configured: dict[tuple[str, ...], dict[str, dict]] = field(default_factory=dict)
    lines: dict[str, int] = field(default_factory=dict)  # address -> its line in the plan file (address_lines)
    entries: list[tuple[Block, dict]] = field(default_factory=list)  # each block with what the JSON says of it
    # (module path, local name) -> the references its expression makes, read from the configuration beside
    locals: dict[tuple[tuple[str, ...], str], list[str]] = field(default_factory=dict)
    origin: str = ORIGIN  # "plan", or "aws" for an account read by `gateaudit audit` (gateaudit.aws)

    def configuration(self, path: tuple[str, ...]) -> dict:
        """The configuration of the module written at `path` ({} where the plan has none: a state)."""
        module = self.document.get("configuration", {}).get("root_module", {})
        for name in path:
            module = module.get("module_calls", {}).get(name, {}).get("module", {})
        return module


def build(source: PlanSource) -> list[Module]:
    """The plan's (or state's) modules, with their blocks; added to `source.stack`."""
    document = source.document
    for change in document.get("resource_changes", ()):
        source.changes[change["address"]] = change
    values = document.get("planned_values" if source.kind == "plan" else "values", {}).get("root_module", {})
    root = _module(source, "", None, values)
    _child_modules(source, root, values)
    if source.kind == "plan":  # data sources read while planning are in the prior state only
        _prior_data(source, root, document.get("prior_state", {}).get("values", {}).get("root_module", {}))
    for module in source.modules.values():
        _declarations(source, module)
    if source.kind == "plan":
        _destroyed(source)
    _fill(source)
    modules = list(source.modules.values())
    source.stack.modules.extend(modules)
    return modules


def _module(source: PlanSource, address: str, parent: Module | None, values: dict) -> Module:
    module = Module(key=address, directory=source.directory, display_dir=source.display_dir, parent=parent,
                    budget=source.stack.budget)
    source.modules[address] = module
    for entry in values.get("resources", ()):
        _add_resource(source, module, entry)
    return module


def _add_resource(source: PlanSource, module: Module, entry: dict) -> None:
    mode = entry.get("mode")
    if mode not in ("managed", "data"):
        return
    kind = "resource" if mode == "managed" else "data"
    block = Block(kind=kind, type=entry["type"], name=entry["name"], address=entry["address"],
                  location=_location(source, module, kind, entry["type"], entry["name"], entry["address"]),
                  module=module,
                  instance_key=entry.get("index"))
    source.entries.append((block, entry))
    module.blocks.append(block)
    module.resources.setdefault((kind, block.type, block.name), []).append(block)


def _child_modules(source: PlanSource, parent: Module, values: dict) -> None:
    for child in values.get("child_modules", ()):
        module = _module(source, child["address"], parent, child)
        _link_child(parent, module, source)
        _child_modules(source, module, child)


def _link_child(parent: Module, module: Module, source: PlanSource) -> None:
    """The module instance as its parent's child, with the call that made it."""
    local = module.key[len(parent.key) + 1:] if parent.key else module.key
    local = local.removeprefix("module.")
    name = local.split("[", 1)[0]
    module.call = Block(kind="module", type="module", name=name, address=parent.address(f"module.{name}"),
                        location=_call_location(source, module), module=parent, instance_key=_instance_key(local))
    parent.children[local] = module


def _prior_data(source: PlanSource, parent: Module, values: dict) -> None:
    """Data sources the plan read (in `prior_state`, not `planned_values`), into the module instances they are
    read in; a module that holds nothing else gets its instance here."""
    module = source.modules.get(values.get("address", ""))
    if module is None:
        module = _module(source, values["address"], parent, {})
        _link_child(parent, module, source)
    planned = {b.address for b in module.blocks}
    for entry in values.get("resources", ()):
        if entry.get("mode") == "data" and entry["address"] not in planned:
            _add_resource(source, module, entry)
    for child in values.get("child_modules", ()):
        _prior_data(source, module, child)


def _instance_key(local: str) -> Any:
    parts = steps(local)
    last = parts[-1] if parts else None
    return last if isinstance(last, int) else last[0] if isinstance(last, tuple) else None


def _location(source: PlanSource, module: Module, kind: str, type_: str, name: str, address: str = "") -> Location:
    written = source.placed.get((_module_path(module.key), kind, type_, name))
    return written.block if written is not None else Location(source.shown, source.lines.get(address, 1),
                                                               source.origin)


def _call_location(source: PlanSource, module: Module) -> Location:
    written = source.placed.get((_module_path(module.key)[:-1], "module", "module", _module_path(module.key)[-1]))
    return written.block if written is not None else Location(source.shown, source.lines.get(module.key, 1),
                                                               source.origin)


_ADDRESS = re.compile(rb'"address":\s*("(?:[^"\\]|\\.)*")')


def address_lines(data: bytes) -> dict[str, int]:
    """Where each address first appears in a plan written over several lines (`jq .` of `terraform show -json`,
    which writes one): a result with no configuration to point at points there, not at line 1."""
    lines: dict[str, int] = {}
    if data.count(b"\n", 0, 4096) < 2:
        return lines
    line, position = 1, 0
    for match in _ADDRESS.finditer(data):
        line += data.count(b"\n", position, match.start())
        position = match.start()
        try:
            lines.setdefault(json.loads(match.group(1)), line)
        except ValueError:
            continue
    return lines


def _declarations(source: PlanSource, module: Module) -> None:
    """The variables (with their defaults) and providers the configuration declares for this module."""
    path = _module_path(module.key)
    config = source.configuration(path)
    for name, declared in config.get("variables", {}).items():
        block = Block(kind="variable", type="variable", name=name, address=module.address(f"var.{name}"),
                      location=_location(source, module, "variable", "variable", name), module=module)
        for argument in ("default", "sensitive", "description"):
            if argument in declared:
                block.attributes[argument] = Attribute(argument, block, argument, block.location, declared[argument])
        module.blocks.append(block)
        module.variables[name] = block
        if not module.key and declared.get("sensitive"):  # the value the plan was made with, masked everywhere
            given = source.document.get("variables", {}).get(name, {}).get("value")
            _sensitive_strings(source.stack, given, True)
    if module.key:
        return
    for key, provider in source.document.get("configuration", {}).get("provider_config", {}).items():
        if provider.get("module_address") or not provider.get("expressions"):
            continue  # configured inside a module, or not configured at all (Terraform lists those too)
        name = provider.get("name", key)
        alias = provider.get("alias")
        block = Block(kind="provider", type="provider", name=name,
                      address=f"provider.{name}" + (f".{alias}" if alias else ""),
                      location=_location(source, module, "provider", "provider", key), module=module)
        source.entries.append((block, {"expressions": provider.get("expressions", {})}))
        module.blocks.append(block)


def _destroyed(source: PlanSource) -> None:
    """Resources the plan destroys (not replaces): not judged, but known, so a rule can say what remains
    without them ("the stage's access log group is being destroyed")."""
    for address, change in source.changes.items():
        if tuple(change.get("change", {}).get("actions", ())) != DESTROYING or change.get("mode") != "managed":
            continue
        module = source.modules.get(change.get("module_address", ""))
        if module is None:
            module = _module(source, change.get("module_address", ""), None, {})
        block = Block(kind="resource", type=change["type"], name=change["name"], address=address,
                      location=_location(source, module, "resource", change["type"], change["name"], address),
                      module=module,
                      instance_key=change.get("index"))
        before = change["change"].get("before") or {}
        _arguments(source, block, before, False, change["change"].get("before_sensitive") or {}, {}, None)
        source.stack.destroyed.append(block)


# ------------------------------------------------------------------------------------------------ values

def _fill(source: PlanSource) -> None:
    """Every block's arguments and nested blocks. Policy documents first: an argument set to one's `json`
    takes the document as the provider renders it at plan time."""
    # sorted() is stable: the JSON's order otherwise
    for block, entry in sorted(source.entries, key=lambda pair: pair[0].type != "aws_iam_policy_document"):
        if block.kind == "provider":
            _provider(source, block, entry["expressions"])
            continue
        expressions = _expressions(source, block)
        change = source.changes.get(block.address, {}).get("change")
        if change is not None and change.get("after") is not None:
            values, unknown, sensitive = change["after"], change.get("after_unknown") or {}, \
                change.get("after_sensitive") or {}
        else:
            values, unknown, sensitive = entry.get("values") or {}, {}, entry.get("sensitive_values") or {}
        _arguments(source, block, values, unknown, sensitive, expressions, nested_blocks(block.kind, block.type))
        _lifecycle(source, block)
        if block.type == "aws_iam_policy_document" and block.kind == "data":
            _policy_document(block)


def _lifecycle(source: PlanSource, block: Block) -> None:
    """A plan has no `lifecycle`: the configuration beside it gives `ignore_changes`, which rules read (GA207)."""
    written = source.placed.get((_module_path(block.module.key), block.kind, block.type, block.name))
    if written is None or written.ignore_changes is None or written.lifecycle is None:
        return
    lifecycle = _nested_block(block, "lifecycle", "lifecycle", written.lifecycle)
    lifecycle.attributes["ignore_changes"] = Attribute("ignore_changes", lifecycle, "lifecycle.ignore_changes",
                                                       written.lifecycle, written.ignore_changes)
    block.nested.append(lifecycle)


def _expressions(source: PlanSource, block: Block) -> dict:
    """The block's arguments as its configuration writes them: `constant_value` or `references`, by name."""
    path = _module_path(block.module.key)
    if path not in source.configured:
        source.configured[path] = {resource.get("address"): resource.get("expressions", {})
                                   for resource in source.configuration(path).get("resources", ())}
    prefix = "data." if block.kind == "data" else ""
    return source.configured[path].get(f"{prefix}{block.type}.{block.name}", {})


def _provider(source: PlanSource, block: Block, expressions: dict) -> None:
    for name, expression in expressions.items():
        if isinstance(expression, dict) and "constant_value" in expression:
            value = expression["constant_value"]
        elif isinstance(expression, dict):
            names = references_in(expression)
            value = Unknown("set from " + ", ".join(names) if names else AFTER_APPLY, tuple(names))
        else:
            continue  # a nested block (assume_role, endpoints): not an argument rules read today
        attribute = block.attributes[name] = Attribute(name, block, name, _argument_location(source, block, name),
                                                       value)
        attribute.given = _given(source, block.module, expression, True)


def _arguments(source: PlanSource, block: Block, values: Any, unknown: Any, sensitive: Any, expressions: Any,
               schema: dict | None) -> None:
    values = values if isinstance(values, dict) else {}
    unknown = unknown if isinstance(unknown, dict) else {}
    sensitive = sensitive if isinstance(sensitive, dict) else {}
    expressions = expressions if isinstance(expressions, dict) else {}
    for name in dict.fromkeys([*values, *unknown]):
        value, marked = values.get(name), unknown.get(name, False)
        path = f"{block.path}.{name}" if block.path else name
        if schema is not None and name in schema:
            _nested(source, block, name, path, value, marked, sensitive.get(name), expressions.get(name), schema)
            continue
        expression = expressions.get(name)
        if value == "" and sensitive.get(name) is True and source.kind == "state":
            continue  # a secret argument a state holds empty (a write-only one was used): no secret is there
        if (value is None and marked is False) or (marked is True and expression is None and expressions):
            # Not set, or computed by the provider where the configuration does not write it (`arn`, `id`): as
            # absent as in the configuration, which rules judge the same way.
            continue
        references = _references(source, block, expression)
        built = _value(value, marked, _refs(references))
        if isinstance(built, Unknown) and built.partial is None and len(references) == 1 \
                and references[0].attribute is not None:
            target = references[0].block.get(references[0].attribute)
            if target is not None and isinstance(target.value, Unknown) and isinstance(target.value.partial, dict):
                built = target.value  # a policy document rendered at plan time, given by a bare reference
        _sensitive_strings(source.stack, value, sensitive.get(name, False))
        attribute = block.attributes[name] = Attribute(name, block, path, _argument_location(source, block, path),
                                                       built, references)
        attribute.given = _given(source, block.module, expression, bool(expressions))


def _nested(source: PlanSource, block: Block, name: str, path: str, value: Any, marked: Any, sensitive: Any,
            expressions: Any, schema: dict) -> None:
    location = _nested_locations(source, block, path)
    if marked is True:  # a dynamic block whose for_each is known only after apply
        nested = _nested_block(block, name, path, location[0] if location else block.location)
        nested.expansion = Unknown(f"{name} blocks are {AFTER_APPLY}")
        block.nested.append(nested)
        return
    elements = value if isinstance(value, list) else [value] if isinstance(value, dict) else []
    for index, element in enumerate(elements):
        nested = _nested_block(block, name, path, location[min(index, len(location) - 1)] if location
                               else block.location)
        _arguments(source, nested, element, _item(marked, index), _item(sensitive, index),
                   _item(expressions, index) if isinstance(expressions, list) else expressions, schema[name]
                   if isinstance(schema[name], dict) else {})
        block.nested.append(nested)


def _nested_block(parent: Block, name: str, path: str, location: Location) -> Block:
    return Block(kind="nested", type=name, name=name, address=parent.address, location=location,
                 module=parent.module, parent=parent, instance_key=parent.instance_key, path=path)


def _item(marks: Any, index: int) -> Any:
    if isinstance(marks, list):
        return marks[index] if index < len(marks) else (marks[0] if len(marks) == 1 else False)
    return marks if isinstance(marks, dict) else False


def _value(value: Any, marked: Any, refs: tuple[str, ...]) -> Any:
    if marked is True:
        return Unknown(AFTER_APPLY, refs)
    if isinstance(value, dict) and isinstance(marked, dict) and marked:
        return {key: _value(value.get(key), marked.get(key, False), refs)
                for key in dict.fromkeys([*value, *marked])}
    if isinstance(value, list) and isinstance(marked, list) and any(m is not False for m in marked):
        length = max(len(value), len(marked))
        return [_value(value[i] if i < len(value) else None, marked[i] if i < len(marked) else False, refs)
                for i in range(length)]
    return value


def _sensitive_strings(stack: Stack, value: Any, marks: Any) -> None:
    """Every string the plan marks sensitive is masked in every report, whatever rule shows it."""
    if marks is True:
        stack.sensitive_values.update(s for s in strings_in(value) if s)
    elif isinstance(marks, dict) and isinstance(value, dict):
        for key, mark in marks.items():
            _sensitive_strings(stack, value.get(key), mark)
    elif isinstance(marks, list) and isinstance(value, list):
        for item, mark in zip(value, marks, strict=False):
            _sensitive_strings(stack, item, mark)


def _policy_document(block: Block) -> None:
    from .iam_document import render

    for name in ("json", "minified_json"):
        attribute = block.get(name)
        if attribute is None:
            block.attributes[name] = Attribute(name, block, name, block.location, render(block))
        elif isinstance(attribute.value, Unknown):
            attribute.value = render(block)


def _argument_location(source: PlanSource, block: Block, path: str) -> Location:
    top = block
    while top.parent is not None:
        top = top.parent
    written = source.placed.get((_module_path(top.module.key), top.kind, top.type, top.name))
    if written is None:
        return block.location
    return written.arguments.get(path, block.location)


def _nested_locations(source: PlanSource, block: Block, path: str) -> list[Location]:
    top = block
    while top.parent is not None:
        top = top.parent
    written = source.placed.get((_module_path(top.module.key), top.kind, top.type, top.name))
    return written.nested.get(path, []) if written is not None else []


# ------------------------------------------------------------------------------------------------ provenance

LITERAL = "a literal"  # what a value comes from when the configuration writes it


def _given(source: PlanSource, module: Module, expression: Any, configured: bool) -> tuple[str, str] | None:
    """How the configuration gives an argument's value (`Attribute.given`): None for a literal of the
    configuration (a variable's default included), else supplied from where, or why that cannot be told."""
    if source.kind == "state":
        return "unresolved", "a state JSON does not say how the configuration writes a value"
    if not isinstance(expression, dict):
        if configured:
            return "supplied", "not written in the configuration: the provider sets it"
        return "unresolved", "the plan's configuration does not show how it is written"
    if "constant_value" in expression:
        return None
    found = [found for ref in references_in(expression)
             for found in _inputs(source, module, ref, 0)]
    unseen = next((f for f in found if f.startswith("local.")), None)
    if unseen is not None:
        return "unresolved", f"it comes from {unseen}, which a plan does not show (put the configuration beside it)"
    supplied = [f for f in dict.fromkeys(found) if f != LITERAL]
    return ("supplied", ", ".join(supplied)) if supplied else None


def _inputs(source: PlanSource, module: Module, text: str, depth: int) -> list[str]:
    """What a reference's value comes from: LITERAL, a root variable set when the plan was made, a local the
    plan does not show, or another resource's argument."""
    parts = steps(text)
    if depth > MAX_REFERENCE_DEPTH or len(parts) < 2 or not isinstance(parts[1], str):
        return [text] if parts and parts[0] not in ("var", "local") else []
    head, name = parts[0], parts[1]
    path = _module_path(module.key)
    if head == "var" and module.call is not None and module.parent is not None:
        expression = source.configuration(path[:-1]).get("module_calls", {}).get(module.call.name, {}).get(
            "expressions", {}).get(name)
        if not isinstance(expression, dict):
            default = source.configuration(path).get("variables", {}).get(name, {})
            return [LITERAL] if "default" in default else []
        if "constant_value" in expression:
            return [LITERAL]
        return [f for ref in references_in(expression) for f in _inputs(source, module.parent, ref, depth + 1)]
    if head == "var":
        declared = source.configuration(()).get("variables", {}).get(name, {})
        given = source.document.get("variables", {}).get(name, {}).get("value")
        if "default" in declared and declared["default"] == given:
            return [LITERAL]
        return [f"var.{name}, set when the plan was made"]
    if head == "local":
        if (path, name) not in source.locals:
            return [f"local.{name}"]
        refs = source.locals[(path, name)]
        return [f for ref in refs for f in _inputs(source, module, ref, depth + 1)] or [LITERAL]
    if head in ("each", "count", "path", "terraform", "self"):
        return []
    return [text]


# ------------------------------------------------------------------------------------------------ references

def references_in(expression: Any) -> list[str]:
    """The references a configuration expression makes (`aws_x.y.arn`, `var.z`), as the plan lists them."""
    found = expression.get("references") if isinstance(expression, dict) else None
    return [text for text in found if isinstance(text, str)] if isinstance(found, list) else []


def _refs(references: tuple[Reference, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f"{r.block.address}.{r.attribute}" for r in references if r.attribute))


def _references(source: PlanSource, block: Block, expression: Any) -> tuple[Reference, ...]:
    if not isinstance(expression, dict):
        return ()
    found: dict[tuple[int, str | None], Reference] = {}
    for text in references_in(expression):
        for reference in _resolve(source, block.module, block.instance_key, text, 0):
            found.setdefault((id(reference.block), reference.attribute), reference)
    specific = {id(r.block) for r in found.values() if r.attribute is not None}
    return tuple(r for r in found.values() if r.attribute is not None or id(r.block) not in specific)


MAX_REFERENCE_DEPTH = 64  # module calls and outputs followed; a plan cannot nest modules deeper than this


def _resolve(source: PlanSource, module: Module, key: Any, text: str, depth: int) -> list[Reference]:
    """The blocks a reference of the configuration names, in the module instance it is written in."""
    if depth > MAX_REFERENCE_DEPTH:
        return []
    parts = steps(text)
    if not parts or not isinstance(parts[0], str):
        return []
    head = parts[0]
    if head == "var" and len(parts) > 1 and module.call is not None and module.parent is not None:
        call_config = source.configuration(_module_path(module.key)[:-1]).get("module_calls", {}).get(
            module.call.name, {})
        expression = call_config.get("expressions", {}).get(parts[1])
        return [r for ref in references_in(expression)
                for r in _resolve(source, module.parent, module.call.instance_key, ref, depth + 1)]
    if head == "module" and len(parts) > 2 and isinstance(parts[1], str):
        children = module.instances(parts[1])
        index = parts[2] if not isinstance(parts[2], str) else None
        output = next((p for p in parts[2:] if isinstance(p, str)), None)
        if index is not None:
            wanted = index if isinstance(index, int) else index[0]
            children = [c for c in children if c.call is not None and c.call.instance_key == wanted]
        if output is None:
            return []
        found = []
        for child in children:
            declared = source.configuration(_module_path(child.key)).get("outputs", {}).get(output, {})
            for ref in references_in(declared.get("expression")):
                found.extend(_resolve(source, child, None, ref, depth + 1))
        return found
    if head == "local" and len(parts) > 1:
        refs = source.locals.get((_module_path(module.key), parts[1]), ())
        return [r for ref in refs for r in _resolve(source, module, key, ref, depth + 1)]
    kind = "data" if head == "data" else "resource"
    rest = parts[1:] if head == "data" else parts
    if len(rest) < 2 or not all(isinstance(p, str) for p in rest[:2]):
        return []  # each.value, count.index, path.module, self: nothing the plan names
    instances = module.resources.get((kind, rest[0], rest[1]), [])
    if not instances:
        return []
    tail = rest[2:]
    if tail and not isinstance(tail[0], str):
        wanted = tail[0] if isinstance(tail[0], int) else tail[0][0]
        instances = [b for b in instances if b.instance_key == wanted]
        tail = tail[1:]
    elif len(instances) > 1:
        # `aws_x.y[each.key]`: the plan does not say which instance; the one with the referring block's own key
        # is what such configurations write, else every instance (never fewer than it may be).
        same_key = [b for b in instances if key is not None and b.instance_key == key]
        instances = same_key or instances
    attribute = tail[0] if tail and isinstance(tail[0], str) else None
    return [Reference(b, attribute) for b in instances]


# ------------------------------------------------------------------------------------------------ state

_IDENTIFYING = ("arn", "invoke_arn", "execution_arn", "id", "root_resource_id", "function_name", "qualified_arn",
                "name")


def link_by_value(stack: Stack, modules: list[Module]) -> None:
    """For a state: an argument whose value is another resource's ARN or id refers to it, as the configuration
    that wrote it did; a value that starts with an API's execution ARN refers to that API's execution_arn."""
    owners: dict[str, list[tuple[Block, str]]] = {}
    blocks = [b for m in modules for b in m.blocks if b.kind in ("resource", "data")]
    for block in blocks:
        for name in _IDENTIFYING:
            value = block.value(name)
            if isinstance(value, str) and len(value) >= 6 and not (name == "name" and block.kind == "data"):
                owners.setdefault(value, []).append((block, name))
    executions = {b.value("execution_arn"): b for b in blocks if isinstance(b.value("execution_arn"), str)}
    for block in blocks:
        for attribute in every_attribute(block):
            found = []
            for text in strings_in(attribute.value):
                found.extend(Reference(owner, name) for owner, name in owners.get(text, ()) if owner is not block)
                prefix = text.split("/", 1)[0]
                if prefix in executions and text != prefix and executions[prefix] is not block:
                    found.append(Reference(executions[prefix], "execution_arn"))
            if found:
                attribute.references = tuple(dict.fromkeys(found))
