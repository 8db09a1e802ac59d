"""Shared reference questions: which block does an argument point at, and is it the same one?"""

from __future__ import annotations

from gateaudit.model import Attribute, Block, Unknown, same


def target(block: Block, argument: str, *types: str) -> list[Block]:
    """The blocks of `types` that `block.argument` refers to (through variables, locals and modules)."""
    attribute = block.get(argument)
    return attribute.referenced_blocks(*types) if attribute is not None else []


def same_target(first: Attribute | None, second: Attribute | None, *types: str) -> bool | Unknown:
    """Do two arguments point at the same block of `types`?

    True or False when both resolve to blocks in the stack, or both are plain values; Unknown otherwise
    (a literal id on one side, a reference on the other, or a value that cannot be resolved).
    """
    if first is None or second is None:
        return Unknown("an argument is not set")
    first_blocks = {id(b) for b in first.referenced_blocks(*types)}
    second_blocks = {id(b) for b in second.referenced_blocks(*types)}
    if first_blocks and second_blocks:
        return bool(first_blocks & second_blocks)
    equal = same(first.value, second.value)
    if first_blocks or second_blocks or isinstance(equal, Unknown):
        return Unknown(f"cannot tell whether {first.block.address}.{first.path} and "
                       f"{second.block.address}.{second.path} point at the same {' or '.join(types)}")
    return equal


def points_at(attribute: Attribute | None, block: Block) -> bool:
    """Does the argument refer to this very block (any of its attributes)?"""
    return attribute is not None and any(ref.block is block for ref in attribute.references)
