"""A new source needs no change to any rule: a model built by hand, with no parser and no expressions,
gives every rule's verdicts on the reference stack's REST root.

`rest_root.model.json` holds the REST root's facts as a source that reads values would give them (a plan,
an AWS account): each block with its address and line, each argument's value (unknowns included) and the
blocks it refers to. `build` turns them into a `Stack` with the model's own classes; the rules judge it.
Regenerate the facts after changing the stack: `python tests/checker/test_model_by_hand.py`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from gateaudit.engine import run_rules
from gateaudit.model import Attribute, Block, Location, Module, Reference, Stack, Unknown
from gateaudit.rules import load_rules

ROOT = Path(__file__).resolve().parents[2]
FACTS = Path(__file__).with_name("rest_root.model.json")


# ------------------------------------------------------------------------------------ the hand-made source

def build(facts: dict) -> Stack:
    """A Stack from the facts: modules, blocks, arguments with their values and references."""
    stack = Stack(files=list(facts["files"]))
    modules = [Module(key=m["key"], directory=Path(m["directory"]), display_dir=m["display_dir"])
               for m in facts["modules"]]
    blocks: dict[int, Block] = {}

    def make(spec: dict, module: Module, parent: Block | None) -> Block:
        block = Block(kind=spec["kind"], type=spec["type"], name=spec["name"], address=spec["address"],
                      location=Location(spec["file"], spec["line"], "by hand"), module=module, parent=parent,
                      instance_key=spec["instance_key"], path=spec["path"])
        block.expansion = _value(spec["expansion"])
        blocks[spec["id"]] = block
        block.nested.extend(make(child, module, block) for child in spec["nested"])
        return block

    for module, spec in zip(modules, facts["modules"], strict=True):
        module.blocks = [make(block, module, None) for block in spec["blocks"]]
        stack.modules.append(module)

    def attributes(spec: dict) -> None:
        block = blocks[spec["id"]]
        for given in spec["attributes"]:
            block.attributes[given["name"]] = _attribute(given, block, blocks)
        for child in spec["nested"]:
            attributes(child)

    for module, spec in zip(modules, facts["modules"], strict=True):
        for block in spec["blocks"]:
            attributes(block)
        module.parent = modules[spec["parent"]] if spec["parent"] is not None else None
        module.call = blocks[spec["call"]] if spec["call"] is not None else None
        module.children = {name: modules[index] for name, index in spec["children"].items()}
        module.variables = {name: blocks[index] for name, index in spec["variables"].items()}
        module.outputs = {name: blocks[index] for name, index in spec["outputs"].items()}
        module.locals = {name: _attribute(given, blocks[given["block"]], blocks)
                         for name, given in spec["locals"].items()}
        for block in module.blocks:
            module.resources.setdefault((block.kind, block.type, block.name), []).append(block)
    return stack


def _attribute(given: dict, block: Block, blocks: dict[int, Block]) -> Attribute:
    references = tuple(Reference(blocks[index], name) for index, name in given["references"])
    return Attribute(given["name"], block, given["path"], Location(given["file"], given["line"], "by hand"),
                     _value(given["value"]), references)


def _value(given: Any) -> Any:
    if isinstance(given, dict) and "resource" in given:
        return given["resource"]
    if isinstance(given, dict) and "unknown" in given:
        return Unknown(given["unknown"], tuple(given["refs"]), _value(given["partial"]))
    if isinstance(given, dict):
        return {key: _value(item) for key, item in given["map"].items()}
    if isinstance(given, list):
        return [_value(item) for item in given]
    return given


# ------------------------------------------------------------------------ the facts, read from the model

def facts_of(stack: Stack) -> dict:
    """The stack's facts through the model's public interface only, as JSON."""
    ids: dict[int, int] = {}

    def number(block: Block) -> int:
        return ids.setdefault(id(block), len(ids))

    def attribute(given: Attribute) -> dict:
        return {"name": given.name, "path": given.path, "file": given.location.file, "line": given.location.line,
                "block": number(given.block), "value": _encoded(given.value),
                "references": [[number(ref.block), ref.attribute] for ref in given.references]}

    def block(given: Block) -> dict:
        return {"id": number(given), "kind": given.kind, "type": given.type, "name": given.name,
                "address": given.address, "file": given.location.file, "line": given.location.line,
                "instance_key": given.instance_key, "path": given.path, "expansion": _encoded(given.expansion),
                "nested": [block(child) for child in given.nested],
                "attributes": [attribute(a) for a in given.attributes.values()]}

    modules = stack.modules
    for module in modules:  # number every block first: references point anywhere
        for top in module.blocks:
            number(top)
    return {"files": stack.files, "modules": [{
        "key": module.key, "directory": str(Path(module.directory).relative_to(ROOT)), "display_dir":
            module.display_dir, "parent": modules.index(module.parent) if module.parent is not None else None,
        "call": number(module.call) if module.call is not None else None,
        "children": {name: modules.index(child) for name, child in module.children.items()},
        "variables": {name: number(b) for name, b in module.variables.items()},
        "outputs": {name: number(b) for name, b in module.outputs.items()},
        "locals": {name: attribute(a) for name, a in module.locals.items()},
        "blocks": [block(b) for b in module.blocks]} for module in modules]}


def _encoded(value: Any) -> Any:
    if hasattr(value, "block"):  # a whole resource used as a value (`depends_on = [aws_x.y]`): its address
        return {"resource": value.block.address}
    if isinstance(value, Unknown):
        return {"unknown": value.reason, "refs": list(value.refs), "partial": _encoded(value.partial)}
    if isinstance(value, dict):
        return {"map": {key: _encoded(item) for key, item in value.items()}}
    if isinstance(value, list | tuple):
        return [_encoded(item) for item in value]
    return value


def _from_terraform() -> Stack:
    from gateaudit.modules import load  # the parser, only to check the facts file is up to date

    stack, errors = load([ROOT / "stack" / "terraform" / "rest"], use_cache=False)
    assert not errors, [str(e) for e in errors]
    return stack


# ----------------------------------------------------------------------------------------------- tests

def _verdicts(stack: Stack) -> list[tuple]:
    results, errors = run_rules(stack, load_rules())
    assert not errors, [str(e) for e in errors]
    return [(r.rule_id, r.resource, r.status.value, r.file, r.line, r.attribute, r.message) for r in results]


# The code rules read the authorizer's code through the stack's file reader; facts given by hand hold no files.
CODE_RULES = ("GA107", "GA108", "GA109", "GA110", "GA209", "GA407")


def test_every_rule_judges_a_stack_built_by_hand_as_it_judges_the_terraform() -> None:
    by_hand = _verdicts(build(json.loads(FACTS.read_text())))
    from_terraform = _verdicts(_from_terraform())
    assert len(by_hand) > 15  # every authorizer, method, stage, permission, role and log group of the REST root
    code_by_hand = [v for v in by_hand if v[0] in CODE_RULES]
    by_hand = [v for v in by_hand if v[0] not in CODE_RULES]
    from_terraform = [v for v in from_terraform if v[0] not in CODE_RULES]
    assert [v[:6] for v in by_hand] == [v[:6] for v in from_terraform]
    assert by_hand == from_terraform
    # ... and, with no code to read, each code rule says so at the authorizer's function: unknown, never a pass
    assert {(v[0], v[2]) for v in code_by_hand} == {(rule, "unknown") for rule in CODE_RULES}
    assert all("no file of the repository is read in this scan" in v[6] for v in code_by_hand)


def test_the_hand_built_stack_has_no_expressions() -> None:
    stack = build(json.loads(FACTS.read_text()))
    blocks = list(stack.blocks())
    assert blocks and all(type(b) is Block for b in blocks)
    assert all(a.expr is None for b in blocks for a in b.attributes.values())


def test_the_facts_are_the_reference_stacks() -> None:
    assert json.loads(FACTS.read_text()) == json.loads(json.dumps(facts_of(_from_terraform()))), \
        "stack/terraform/rest changed: regenerate with `python tests/checker/test_model_by_hand.py`"


if __name__ == "__main__":
    FACTS.write_text(json.dumps(facts_of(_from_terraform()), separators=(",", ":")) + "\n")
    print(f"wrote {FACTS.relative_to(ROOT)}", file=sys.stderr)
