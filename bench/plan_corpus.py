"""The Terraform plan JSON (`terraform show -json plan.out`) of a generated HCL corpus, for the plan rows of
`bench/speed.py` and the agreement test of the plan reader.

gateaudit's own HCL loader is the source of truth: each root folder of the corpus (a service) becomes one
`module.<folder>` call of a single plan, and every resource instance the loader builds is written as Terraform
writes it: its known values in `planned_values` and `resource_changes[].change.after`, what the loader could not
resolve in `after_unknown` (with the computed attributes other blocks read, and `id`), nested blocks as lists of
objects, and a `configuration` whose `expressions` carry `references` as written in that module (or
`constant_value` for a constant) and whose `module_calls` carry `source` and `module`. As Terraform does, a data
source the plan can read (every argument known) is in `prior_state`, not in `planned_values`; one that waits for
apply is read with `actions: ["read"]`.

The corpus has no root module calling its services (each is a root of its own); `root_module` writes the one
the plan is made from, for a copy of the corpus where the configuration is beside the plan.

It is not Terraform (no provider defaults, no `null` for every argument not written, no `relevant_attributes`):
for the 20-file corpus Terraform 1.11 writes the same 230 resource instances in 376 KB, this 306 KB (81%). It is
deterministic: the same corpus gives the same bytes.

Usage: python bench/plan_corpus.py CORPUS_DIR OUT.json [--root-module MAIN_TF]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from gateaudit.expr import Call, GetAttr, Index, Literal, Traversal, walk
from gateaudit.iam_document import render
from gateaudit.model import Attribute, Block, Module, Unknown, contains_unknown, provider_sensitive
from gateaudit.modules import load

TERRAFORM_VERSION = "1.11.4"
PROVIDER = "registry.terraform.io/hashicorp/aws"
META_ARGUMENTS = ("count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection")
MODULE_META = ("source", "version", "count", "for_each", "depends_on", "providers")
KEYWORDS = ("var", "local", "module", "data", "each", "count", "path", "self", "terraform")


def plan_of(corpus: Path) -> dict:
    """The plan of every root folder under `corpus`, each called as `module.<folder name>`."""
    stack, errors = load([corpus], use_cache=False)
    if errors:
        raise ValueError(f"{corpus}: the corpus does not load: {errors[0]}")
    roots = sorted((m for m in stack.modules if m.parent is None), key=lambda m: m.display_dir)
    planned: list[dict] = []
    prior: list[dict] = []
    changes: list[dict] = []
    calls: dict[str, dict] = {}
    for root in roots:
        name = root.display_dir.replace("/", "_")
        address = f"module.{name}"
        planned.append(_module_values(root, address, changes, prior))
        calls[name] = {"source": f"./{root.display_dir}", "module": _configuration(root)}
    return {
        "format_version": "1.2",
        "terraform_version": TERRAFORM_VERSION,
        "planned_values": {"root_module": {"child_modules": planned}},
        "resource_changes": changes,
        "prior_state": {"format_version": "1.0", "terraform_version": TERRAFORM_VERSION,
                        "values": {"root_module": {"child_modules": prior}}},
        "configuration": {"provider_config": {"aws": {"name": "aws", "full_name": PROVIDER}},
                          "root_module": {"module_calls": calls}},
        "timestamp": "2026-01-01T00:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }


def root_module(plan: dict) -> str:
    """The root module Terraform plans the corpus from, as a `main.tf` for the corpus folder: one `module` call per
    service. Beside the plan in a copy of the corpus, it is the configuration the results are placed in."""
    calls = plan["configuration"]["root_module"]["module_calls"]
    return "\n".join(f'module "{name}" {{\n  source = {json.dumps(call["source"])}\n}}\n'
                     for name, call in calls.items())


def count_resources(plan: dict) -> int:
    """Resource and data instances the plan judges: those of `planned_values`, every module included."""
    def walk_module(module: dict) -> int:
        return len(module.get("resources", ())) + sum(walk_module(c) for c in module.get("child_modules", ()))
    return walk_module(plan["planned_values"]["root_module"])


# ------------------------------------------------------------------------------------------------ values

def _module_values(module: Module, address: str, changes: list[dict], prior: list[dict]) -> dict:
    """`planned_values` of one module instance (and its children); its changes and read data sources added."""
    computed = _computed(module)
    resources, read = [], []
    for block in module.blocks:
        if block.kind not in ("resource", "data"):
            continue
        values, unknown, sensitive = _object(block)
        if block.kind == "data" and not _marked(unknown):
            if block.type == "aws_iam_policy_document":
                values["json"] = values["minified_json"] = render(block)
            read.append({**_entry(block, module, address), "values": values, "sensitive_values": sensitive})
            continue  # every argument known: read while planning, in prior_state only, as Terraform writes it
        for name in [*computed.get((block.kind, block.type, block.name), ()), "id"]:
            if name not in values:
                unknown[name] = True
        entry = _entry(block, module, address)
        resources.append({**entry, "values": values, "sensitive_values": sensitive})
        change = {"address": entry["address"], "module_address": address,
                  **{key: value for key, value in entry.items() if key not in ("address", "schema_version")}}
        change["change"] = {"actions": ["create"] if block.kind == "resource" else ["read"], "before": None,
                            "after": values, "after_unknown": unknown, "before_sensitive": False,
                            "after_sensitive": sensitive}
        if block.kind == "data":
            change["action_reason"] = "read_because_config_unknown"
        changes.append(change)
    children = [_module_values(child, f"{address}.module.{key}", changes, prior)
                for key, child in module.children.items()]
    planned = {"resources": resources, "address": address}
    if children:
        planned["child_modules"] = children
    if read:
        prior.append({"resources": read, "address": address})
    return planned


def _entry(block: Block, module: Module, address: str) -> dict:
    local = block.address.removeprefix(f"{module.key}.") if module.key else block.address
    entry = {"address": f"{address}.{local}", "mode": "managed" if block.kind == "resource" else "data",
             "type": block.type, "name": block.name}
    if block.instance_key is not None:
        entry["index"] = block.instance_key
    return {**entry, "provider_name": PROVIDER, "schema_version": 0}


def _computed(module: Module) -> dict[tuple[str, str, str], list[str]]:
    """The attributes of each block that other blocks of the module read and nobody writes (`arn`,
    `invoke_arn`): Terraform plans them as known only after apply."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for block in module.blocks:
        for attribute in _every_attribute(block):
            for node in walk(attribute.expr):
                if not isinstance(node, Traversal) or not isinstance(node.root, str):
                    continue
                names = [node.root, *(s.name for s in node.steps if isinstance(s, GetAttr))]
                kind, names = ("data", names[1:]) if node.root == "data" else ("resource", names)
                if len(names) >= 3 and names[0] not in KEYWORDS:
                    found.setdefault((kind, names[0], names[1]), []).append(names[2])
    return found


def _every_attribute(block: Block) -> Iterator[Attribute]:
    yield from (a for a in block.attributes.values() if a.expr is not None)
    for nested in block.nested:
        yield from _every_attribute(nested)


def _object(block: Block) -> tuple[dict, dict, dict]:
    """(values, after_unknown, after_sensitive) of a block, as Terraform writes them."""
    values: dict[str, Any] = {}
    unknown: dict[str, Any] = {}
    sensitive: dict[str, Any] = {}
    secret = provider_sensitive(block)
    for name, attribute in block.attributes.items():
        if name in META_ARGUMENTS:
            continue
        value, marks = _plain(attribute.value)
        values[name] = value
        if marks is not False:
            unknown[name] = marks
        if attribute.path in secret and value is not None:
            sensitive[name] = True
        elif isinstance(value, dict | list):
            sensitive[name] = _skeleton(value)
    for nested in block.nested:
        if nested.type in META_ARGUMENTS:
            continue
        if isinstance(nested.expansion, Unknown):
            unknown[nested.type] = True
            values.pop(nested.type, None)
            continue
        items, item_marks, item_sensitive = _object(nested)
        values.setdefault(nested.type, []).append(items)
        unknown.setdefault(nested.type, []).append(item_marks)
        sensitive.setdefault(nested.type, []).append(item_sensitive)
    # A nested block with nothing unknown keeps its place in after_unknown (`[{}]`), as Terraform writes it.
    return values, unknown, sensitive


def _marked(marks: Any) -> bool:
    """Whether `after_unknown` marks anything unknown."""
    if isinstance(marks, dict):
        return any(_marked(mark) for mark in marks.values())
    if isinstance(marks, list):
        return any(_marked(mark) for mark in marks)
    return marks is True


def _plain(value: Any) -> tuple[Any, Any]:
    """A model value as JSON and its `after_unknown` marks: True where unknown, False where nothing is."""
    if isinstance(value, Unknown):
        return None, True
    if isinstance(value, dict):
        if not contains_unknown(value):
            return value, False
        pairs = {key: _plain(item) for key, item in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, {k: m for k, (_, m) in pairs.items() if m is not False}
    if isinstance(value, list | tuple):
        if not contains_unknown(value):
            return list(value), False
        pairs = [_plain(item) for item in value]
        return [v for v, _ in pairs], [m for _, m in pairs]
    return value, False


def _skeleton(value: Any) -> Any:
    """`after_sensitive` of a known value with nothing sensitive: its containers, empty."""
    if isinstance(value, dict):
        return {key: _skeleton(item) for key, item in value.items() if isinstance(item, dict | list)}
    return [_skeleton(item) if isinstance(item, dict | list) else False for item in value] \
        if any(isinstance(item, dict | list) for item in value) else []


# ------------------------------------------------------------------------------------------------ configuration

def _configuration(module: Module) -> dict:
    """The `configuration` of a module as written (once, whatever its instances): resources with their
    expressions, module calls, variables and outputs."""
    resources, seen = [], set()
    for block in module.blocks:
        if block.kind not in ("resource", "data") or (block.kind, block.type, block.name) in seen:
            continue
        seen.add((block.kind, block.type, block.name))
        prefix = "data." if block.kind == "data" else ""
        entry = {"address": f"{prefix}{block.type}.{block.name}",
                 "mode": "managed" if block.kind == "resource" else "data", "type": block.type,
                 "name": block.name, "provider_config_key": "aws", "expressions": _expressions(block),
                 "schema_version": 0}
        for meta in ("count", "for_each"):
            attribute = block.get(meta)
            if attribute is not None:
                entry[f"{meta}_expression"] = _expression(attribute)
        resources.append(entry)
    config: dict[str, Any] = {"resources": resources}
    calls: dict[str, dict] = {}
    for child in module.children.values():
        call = child.call
        if call is None or call.name in calls:
            continue
        source = call.value("source")
        calls[call.name] = {"source": source if isinstance(source, str) else "",
                            "expressions": {name: _expression(a) for name, a in call.attributes.items()
                                            if name not in MODULE_META},
                            "module": _configuration(child)}
    if calls:
        config["module_calls"] = calls
    variables = {}
    for name, variable in module.variables.items():
        declared: dict[str, Any] = {}
        for argument in ("default", "description", "sensitive"):
            attribute = variable.get(argument)
            if attribute is not None and not contains_unknown(attribute.value):
                declared[argument] = attribute.value
        variables[name] = declared
    if variables:
        config["variables"] = variables
    outputs = {name: {"expression": _expression(output.get("value"))}
               for name, output in module.outputs.items() if output.get("value") is not None}
    if outputs:
        config["outputs"] = outputs
    return config


def _expressions(block: Block) -> dict:
    found: dict[str, Any] = {}
    for name, attribute in block.attributes.items():
        if name not in META_ARGUMENTS:
            found[name] = _expression(attribute)
    for nested in block.nested:
        if nested.type not in META_ARGUMENTS:
            found.setdefault(nested.type, []).append(_expressions(nested))
    return found


def _expression(attribute: Attribute) -> dict:
    """`{"references": [...]}` as Terraform lists them, `{"constant_value": v}` for a constant, else `{}`."""
    references: dict[str, None] = {}
    constant = True
    # walk() visits siblings last first: reversed, it meets the references in the order they are written, which
    # Terraform keeps and readers rely on (the first reference of a template is what it starts with).
    for node in reversed(list(walk(attribute.expr))):
        if isinstance(node, Traversal) and isinstance(node.root, str):
            references.update(dict.fromkeys(_reference(node, attribute.block.module)))
        constant = constant and not isinstance(node, Call)
    if references:
        return {"references": list(references)}
    # Terraform writes a constant_value only for what it evaluates with no context: no function calls.
    value = attribute.value
    return {"constant_value": value} if constant and not contains_unknown(value) else {}


def _reference(node: Traversal, module: Module) -> list[str]:
    """`aws_x.y[0].arn` -> the reference, its instance and its resource, as Terraform's JSON lists them."""
    root = node.root
    if root not in KEYWORDS and not any(key[1] == root for key in module.resources):
        return []  # a for expression's own symbol
    parts = [root]
    for step in node.steps:
        if isinstance(step, GetAttr):
            parts.append(f".{step.name}")
        elif isinstance(step, Index) and isinstance(step.key, Literal):
            parts.append(f"[{json.dumps(step.key.value)}]")
        else:
            break
    names = 3 if root == "data" else 2  # the parts naming the subject: data.T.N, T.N, module.N, var.N
    if len(parts) < names:
        return []
    subject = names + (1 if len(parts) > names and parts[names].startswith("[") else 0)
    found = ["".join(parts)]
    if root in ("var", "local", "each", "count", "path", "self", "terraform"):
        return found
    if root == "module" and len(parts) > subject:
        subject += 1  # module.N.output: Terraform lists the output, then the call
        found.append("".join(parts[:subject]))
        return [*found, "".join(parts[:names])]
    return [*found, "".join(parts[:subject]), "".join(parts[:names])]


# ------------------------------------------------------------------------------------------------ command line

def write(corpus: Path, out: Path, root: Path | None = None) -> tuple[int, int]:
    """Write the plan of `corpus` to `out` (and its root module to `root`): (resource instances, bytes)."""
    plan = plan_of(corpus)
    text = json.dumps(plan, separators=(",", ":")) + "\n"
    out.write_text(text)
    if root is not None:
        root.write_text(root_module(plan))
    return count_resources(plan), len(text)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--root-module", type=Path, metavar="MAIN_TF",
                        help="also write the root module calling the services (for a copy of the corpus)")
    args = parser.parse_args(argv)
    resources, size = write(args.corpus, args.out, args.root_module)
    print(f"{args.out}: {resources} resource instances, {size} bytes ({size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
