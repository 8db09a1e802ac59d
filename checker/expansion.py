"""The instances and nested blocks a block expands to: `count` and `for_each` on resources and module calls
(`instance_keys`, used by gateaudit.modules) and `dynamic` blocks (`expand_nested`), bounded by gateaudit.limits."""

from __future__ import annotations

from typing import Any

from .evaluate import evaluate
from .expr import Traversal
from .model import Block, Location, Scope, Unknown, contains_unknown, unknowns
from .parse import SyntaxBlock
from .values import shown, to_string

MAX_INSTANCES = 1000  # count/for_each beyond this is not expanded: the block is judged once, as unknown


def instance_keys(syntax: SyntaxBlock, scope: Scope) -> tuple[list[tuple[Any, dict[str, Any]]], Unknown | None]:
    """The instances `count`/`for_each` give a block: [(key, bindings)], or one unkeyed instance, counted
    against the scan's budget of instances.

    When the expansion cannot be known (or is too large for the block or for what is left of the scan's
    budget), one instance stands for all of them, its count.index/each.* unknown, and the reason comes back
    so rules can say why.
    """
    instances, unknown = _instance_keys(syntax, scope)
    budget = scope.module.budget
    if len(instances) > 1 and budget.instances + len(instances) > budget.max_instances:
        meta = "count" if "count" in syntax.attributes else "for_each"
        unknown = Unknown(f"{meta} gives {len(instances)} instances, over the scan's budget of "
                          f"{budget.max_instances} resource and module instances")
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
            reason = Unknown(f"count must be a whole number, not {shown(count)}")
            return [(None, {"count": {"index": reason}})], reason
        if count > MAX_INSTANCES:
            reason = Unknown(f"count = {int(count)} is over the expansion limit of {MAX_INSTANCES}")
            return [(None, {"count": {"index": reason}})], reason
        return [(index, {"count": {"index": index}}) for index in range(int(count))], None
    if "for_each" in syntax.attributes:
        each = evaluate(syntax.attributes["for_each"].expr, scope)
        if isinstance(each, list) and not contains_unknown(each):
            each = {to_string(item): item for item in each}
        if isinstance(each, dict) and len(each) <= MAX_INSTANCES:
            return [(key, {"each": {"key": key, "value": value}}) for key, value in each.items()], None
        if isinstance(each, Unknown):
            reason = Unknown(f"for_each is unknown ({each.reason})", each.refs)
        elif isinstance(each, list) and contains_unknown(each):
            # Instance keys are the set's elements: one known only after apply leaves the keys open (Terraform
            # itself refuses to plan it), so one instance stands for all, as for an unknown for_each.
            inner = next(unknowns(each))
            reason = Unknown(f"for_each keys are unknown ({inner.reason})", inner.refs)
        elif isinstance(each, dict):
            reason = Unknown(f"for_each has {len(each)} elements, over the expansion limit of {MAX_INSTANCES}")
        else:
            reason = Unknown(f"for_each must be a map or a set of strings, not {shown(each)}")
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
    if isinstance(collection, list):
        # A list or tuple of known length: one block per element, even where an element is known only after
        # apply (`cond ? [aws_x.y.arn] : []`); only an unknown collection leaves the number of blocks open.
        pairs = list(enumerate(collection))
    elif isinstance(collection, dict):
        pairs = list(collection.items())
    else:
        reason = collection if isinstance(collection, Unknown) else Unknown(f"for_each is {shown(collection)}")
        return [_unknown_dynamic(block, syntax, content_syntax, iterator, reason,
                                 Unknown(f"dynamic \"{label}\" for_each is unknown ({reason.reason})", reason.refs))]
    over = None
    if len(pairs) > MAX_INSTANCES:  # judged as one unknown block: cut at the limit, the rest would pass unseen
        over = f"over the expansion limit of {MAX_INSTANCES}"
    elif budget.instances + len(pairs) > budget.max_instances:
        over = f"over the scan's budget of {budget.max_instances} resource and module instances"
    if over is not None:
        reason = Unknown(f"dynamic \"{label}\" for_each has {len(pairs)} elements, {over}")
        return [_unknown_dynamic(block, syntax, content_syntax, iterator, reason, reason)]
    budget.instances += len(pairs)
    generated = [_nested_block(block, content_syntax, label, {**block.bindings, iterator: {"key": k, "value": v}},
                               syntax.line) for k, v in pairs]
    for nested in generated:
        nested.iterator_sources = {**nested.iterator_sources, iterator: (for_each.expr, block.scope)}
    return generated


def _unknown_dynamic(block: Block, syntax: SyntaxBlock, content: SyntaxBlock, iterator: str, value: Unknown,
                     expansion: Unknown) -> Block:
    """One block standing for every block a `dynamic` generates, its iterator unknown: what it holds is
    judged, and whatever depends on the iterator is unknown, saying why."""
    block.module.budget.instances += 1
    bindings = {**block.bindings, iterator: {"key": value, "value": value}}
    generated = _nested_block(block, content, content.type, bindings, syntax.line)
    generated.expansion = expansion
    for_each = syntax.attributes.get("for_each")
    if for_each is not None:
        generated.iterator_sources = {**generated.iterator_sources, iterator: (for_each.expr, block.scope)}
    return generated
