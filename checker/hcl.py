"""The model as Terraform source builds it (`gateaudit.hcl`): blocks read from their syntax, arguments
evaluated from the expressions that wrote them, when a rule first asks.

`gateaudit.modules` builds these from parsed files; everything else sees them as `gateaudit.model.Block` and
`Attribute`. Only `gateaudit.provenance` and the evaluator look at `syntax` and `expr`.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from .evaluate import evaluate, references
from .expansion import expand_nested
from .expr import Expr
from .model import Attribute, Block, Location, Reference, Scope
from .parse import SyntaxAttribute, SyntaxBlock


class HclAttribute(Attribute):
    """An argument written in Terraform source: evaluated, and its references resolved, on first use."""

    def __init__(self, syntax: SyntaxAttribute, block: Block, path: str):
        # The value and references are computed on demand (below), never given: no call to Attribute's init.
        self.name = syntax.name
        self.expr: Expr = syntax.expr
        self.block = block
        self.path = path
        self.location = Location(syntax.file or block.location.file, syntax.line)  # an override's own file

    @cached_property
    def value(self) -> Any:  # type: ignore[override]
        return evaluate(self.expr, self.block.scope)

    @cached_property
    def references(self) -> tuple[Reference, ...]:  # type: ignore[override]
        return references(self.expr, self.block.scope)


class HclBlock(Block):
    """A block written in Terraform source: its arguments and nested blocks come from its syntax."""

    def __init__(self, *, syntax: SyntaxBlock, **fields: Any):
        super().__init__(**fields)
        self.syntax = syntax
        # For a block a `dynamic` generated: its iterator's name -> the for_each expression and the scope it is
        # evaluated in, so a reference through the iterator is followed to what the collection refers to.
        self.iterator_sources: dict[str, tuple[Expr, Scope]] = {}

    @cached_property
    def attributes(self) -> dict[str, Attribute]:
        prefix = f"{self.path}." if self.path else ""
        return {name: HclAttribute(a, self, prefix + name) for name, a in self.syntax.attributes.items()}

    @cached_property
    def nested(self) -> list[Block]:
        return expand_nested(self)
