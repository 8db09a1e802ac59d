"""Terraform's override files, merged into a module's blocks as Terraform merges them.

Terraform loads `override.tf`, `*_override.tf` and their `.tf.json` forms after every other file of the
folder, in the order of their names, and merges each top-level block into the block of the same header
(type and labels) that the other files declare. What a reviewer reads in `main.tf` may not be what
Terraform applies, so gateaudit judges the merged blocks, as Terraform's `configs` package builds them:

- an argument of the override replaces the argument of the same name;
- nested blocks of a type replace *all* the original's nested blocks of that type (a `dynamic "x"` block
  counts as type `x` on either side); types the override does not name stay;
- a resource's `lifecycle` merges argument by argument; a variable and an output take only the override's
  arguments (their nested blocks, `validation` and `precondition`, stay as they were);
- `locals` merge value by value, whichever `locals` block holds them;
- `terraform` settings merge setting by setting, `required_providers` provider by provider; a default
  (unaliased) provider or a `terraform` block may be declared by an override alone;
- overriding a block the other files do not declare, `depends_on` in an override, and `moved`, `import`,
  `removed` and `check` blocks in an override file are errors, as they are in Terraform.

A merged argument keeps the file and line where its final value was written (`file` on the syntax), so a
result about it points at what to edit.
"""

from __future__ import annotations

import dataclasses

from .expr import Literal
from .parse import SyntaxAttribute, SyntaxBlock
from .result import ScanError

_LABELS = {"resource": 2, "data": 2, "ephemeral": 2, "variable": 1, "output": 1, "module": 1, "provider": 1}
_NOT_IN_OVERRIDES = ("moved", "import", "removed", "check")
_NO_DEPENDS_ON = ("resource", "data", "ephemeral", "output", "module")


def is_override_file(name: str) -> bool:
    stem = name.removesuffix(".json").removesuffix(".tf")
    return stem == "override" or stem.endswith("_override")


def merge(primary: list[tuple[str, SyntaxBlock]],
          overrides: list[tuple[str, SyntaxBlock]]) -> tuple[list[tuple[str, SyntaxBlock]], list[ScanError]]:
    """The module's top-level blocks, (file shown, block), once every override block is merged in order.

    `primary` comes from the ordinary files, `overrides` from the override files sorted by name, each in
    the order it is written. A declaration twice in the ordinary files is reported where blocks are
    declared (`gateaudit.modules`); here the first of them takes the override.
    """
    blocks = list(primary)
    errors: list[ScanError] = []
    index: dict[tuple, int] = {}
    for position, (_, block) in enumerate(blocks):
        key = _key(block)
        if key is not None:
            index.setdefault(key, position)
    for shown, override in overrides:
        kind = override.type
        if kind in _NOT_IN_OVERRIDES:
            errors.append(ScanError(shown, override.line, f'a "{kind}" block cannot be in an override file'))
            continue
        if kind == "locals":
            errors += _merge_locals(blocks, shown, override)
            continue
        key = _key(override)
        if key is None:  # an unknown type or missing labels: declaring it reports that
            blocks.append((shown, _written_in(override, shown)))
            continue
        if key not in index:
            if kind == "terraform" or (kind == "provider" and key[2] is None):
                index[key] = len(blocks)
                blocks.append((shown, _written_in(override, shown)))
            else:
                errors.append(ScanError(shown, override.line, f"{_address(key)} is overridden but not declared in "
                                                              "this module's other files"))
            continue
        if kind in _NO_DEPENDS_ON and "depends_on" in override.attributes:
            errors.append(ScanError(shown, override.attributes["depends_on"].line,
                                    f"depends_on cannot be overridden ({_address(key)})"))
        base_shown, base = blocks[index[key]]
        blocks[index[key]] = (base_shown, _merged(base, override, shown))
    return blocks, errors


def _key(block: SyntaxBlock) -> tuple | None:
    """What an override block is matched on: its type and labels (a provider: its name and alias)."""
    if block.type == "terraform":
        return ("terraform",)
    needed = _LABELS.get(block.type)
    if needed is None or len(block.labels) < needed:
        return None
    if block.type == "provider":
        alias = block.attributes.get("alias")
        name = alias.expr.value if alias is not None and isinstance(alias.expr, Literal) else None
        return ("provider", block.labels[0], None if name is None else str(name))
    return (block.type, *block.labels[:needed])


def _address(key: tuple) -> str:
    kind, *labels = key
    if kind == "provider":
        return "provider." + ".".join(label for label in labels if label is not None)
    shown = {"resource": "", "variable": "var.", "data": "data.", "ephemeral": "ephemeral."}.get(kind, f"{kind}.")
    return shown + ".".join(labels)


def _merged(base: SyntaxBlock, override: SyntaxBlock, shown: str) -> SyntaxBlock:
    attributes = {**base.attributes, **_attributes_written_in(override, shown)}
    if base.type in ("variable", "output"):
        return dataclasses.replace(base, attributes=attributes)
    if base.type == "terraform":
        return dataclasses.replace(base, attributes=attributes, blocks=_terraform_blocks(base, override, shown))
    replaced = {_nested_type(block) for block in override.blocks}
    kept = [block for block in base.blocks if _nested_type(block) not in replaced]
    added = [_written_in(block, shown) for block in override.blocks]
    if base.type == "resource" and "lifecycle" in replaced:
        added = [_lifecycle(base, block, shown) if block.type == "lifecycle" else block for block in added]
    return dataclasses.replace(base, attributes=attributes, blocks=kept + added)


def _nested_type(block: SyntaxBlock) -> str:
    return block.labels[0] if block.type == "dynamic" and block.labels else block.type


def _lifecycle(resource: SyntaxBlock, override: SyntaxBlock, shown: str) -> SyntaxBlock:
    """A resource's lifecycle merges argument by argument; its conditions stay as the original has them."""
    original = next((block for block in resource.blocks if block.type == "lifecycle"), None)
    if original is None:
        return override
    return dataclasses.replace(original, attributes={**original.attributes,
                                                     **_attributes_written_in(override, shown)})


def _terraform_blocks(base: SyntaxBlock, override: SyntaxBlock, shown: str) -> list[SyntaxBlock]:
    """`required_providers` merges provider by provider; a `backend` or `cloud` replaces either one."""
    blocks = list(base.blocks)
    for block in (_written_in(b, shown) for b in override.blocks):
        if block.type == "required_providers":
            original = next((b for b in blocks if b.type == "required_providers"), None)
            if original is not None:
                block = dataclasses.replace(original, attributes={**original.attributes,
                                                                  **_attributes_written_in(block, shown)})
            blocks = [b for b in blocks if b.type != "required_providers"] + [block]
        elif block.type in ("backend", "cloud"):
            blocks = [b for b in blocks if b.type not in ("backend", "cloud")] + [block]
        else:
            blocks = [b for b in blocks if b.type != block.type] + [block]
    return blocks


def _merge_locals(blocks: list[tuple[str, SyntaxBlock]], shown: str, override: SyntaxBlock) -> list[ScanError]:
    errors = []
    for name, attribute in _attributes_written_in(override, shown).items():
        position = next((i for i, (_, block) in enumerate(blocks)
                         if block.type == "locals" and name in block.attributes), None)
        if position is None:
            errors.append(ScanError(shown, attribute.line, f"local.{name} is overridden but not declared in this "
                                                           "module's other files"))
            continue
        base_shown, base = blocks[position]
        blocks[position] = (base_shown, dataclasses.replace(base, attributes={**base.attributes, name: attribute}))
    return errors


def _written_in(block: SyntaxBlock, shown: str) -> SyntaxBlock:
    """The block, marked as written in the override file (its nested blocks and arguments inherit it)."""
    return dataclasses.replace(block, file=block.file or shown)


def _attributes_written_in(block: SyntaxBlock, shown: str) -> dict[str, SyntaxAttribute]:
    return {name: dataclasses.replace(attribute, file=attribute.file or shown)
            for name, attribute in block.attributes.items()}
