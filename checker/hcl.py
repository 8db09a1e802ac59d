"""The model as Terraform source builds it (`gateaudit.hcl`): blocks read from their syntax, arguments
evaluated from the expressions that wrote them, when a rule first asks.

`gateaudit.modules` builds these from parsed files; everything else sees them as `gateaudit.model.Block` and
`Attribute`. Only `gateaudit.provenance` and the evaluator look at `syntax` and `expr`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from .evaluate import evaluate, references
from .expansion import expand_nested
from .expr import Expr
from .model import Attribute, Block, Location, Reference, Scope
from .parse import SyntaxAttribute, SyntaxBlock

_NOT_YET = object()  # a value or references not computed yet (None is a value)


class HclAttribute(Attribute):
    """An argument written in Terraform source: evaluated, and its references resolved, on first use.

    A scan holds one per argument of every block a rule reads, so it keeps only its syntax, block and path: its
    name, expression and location are read from the syntax when asked. The value and references are kept in
    plain attributes, not `cached_property`: that writes to `__dict__`, which gives every instance a dict of its
    own (Python 3.11+ keeps attributes set in `__init__` more compactly until someone asks for `__dict__`).
    """

    def __init__(self, syntax: SyntaxAttribute, block: Block, path: str):
        # The value and references are computed on demand (below), never given: no call to Attribute's init.
        self.syntax = syntax
        self.block = block
        self.path = path
        self._value: Any = _NOT_YET
        self._references: Any = _NOT_YET

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.syntax.name

    _expr: Any = _NOT_YET  # an expression set in place of the syntax's (a test making an argument unknown)

    @property
    def expr(self) -> Expr:  # type: ignore[override]
        return self.syntax.expr if self._expr is _NOT_YET else self._expr

    @expr.setter
    def expr(self, expr: Expr) -> None:  # what was computed from the old expression is computed again
        self._expr = expr
        self._value = self._references = _NOT_YET

    @property
    def location(self) -> Location:  # type: ignore[override]
        return Location(self.syntax.file or self.block.location.file, self.syntax.line)  # an override's own file

    @property
    def value(self) -> Any:  # type: ignore[override]
        if self._value is _NOT_YET:
            self._value = evaluate(self.expr, self.block.scope)
        return self._value

    @value.setter
    def value(self, value: Any) -> None:
        self._value = value

    @property
    def references(self) -> tuple[Reference, ...]:  # type: ignore[override]
        if self._references is _NOT_YET:
            self._references = references(self.expr, self.block.scope)
        return self._references

    @references.setter
    def references(self, found: tuple[Reference, ...]) -> None:
        self._references = found


class HclBlock(Block):
    """A block written in Terraform source: its arguments and nested blocks come from its syntax."""

    # For a block a `dynamic` generated: its iterator's name -> the for_each expression and the scope it is
    # evaluated in, so a reference through the iterator is followed to what the collection refers to. Empty
    # and shared by every other block (read-only: a generated block is given a dict of its own).
    iterator_sources: Mapping[str, tuple[Expr, Scope]] = MappingProxyType({})

    def __init__(self, *, syntax: SyntaxBlock, **fields: Any):
        super().__init__(**fields)
        self.syntax = syntax
        # Built on first use, kept in plain attributes rather than `cached_property` (see HclAttribute).
        self._attributes: dict[str, Attribute] | None = None
        self._nested: list[Block] | None = None

    @property
    def attributes(self) -> dict[str, Attribute]:  # type: ignore[override]
        if self._attributes is None:
            prefix = f"{self.path}." if self.path else ""
            self._attributes = {name: HclAttribute(a, self, prefix + name)
                                for name, a in self.syntax.attributes.items()}
        return self._attributes

    @property
    def nested(self) -> list[Block]:  # type: ignore[override]
        if self._nested is None:
            self._nested = expand_nested(self)
        return self._nested
