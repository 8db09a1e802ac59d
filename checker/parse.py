"""Terraform's HCL source in, syntax blocks with lines out; the syntax classes every source of them shares.

HCL goes through python-hcl2's grammar as a lark tree (`gateaudit.grammar` runs it): the tree keeps the
structure of every expression and the line of every token, and skips the dict conversion that would lose
both. `.tf.json` is read by `gateaudit.parse_json` into the same classes; string spans of both (for masking)
are found here.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

from . import grammar, limits
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
    pickle_by_fields,
)


class ParseError(Exception):
    def __init__(self, message: str, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line


# Slotted: no dict per object, and none made when a parse-cache entry is pickled (tens of MB in a monorepo).
@dataclass(slots=True)
class SyntaxAttribute:
    name: str
    expr: Expr
    line: int
    file: str | None = None  # set when an override file merged it into a block written in another file


@dataclass(slots=True)
class SyntaxBlock:
    type: str
    labels: tuple[str, ...]
    line: int
    attributes: dict[str, SyntaxAttribute] = field(default_factory=dict)
    blocks: list[SyntaxBlock] = field(default_factory=list)
    end_line: int | None = None  # the closing brace's line, where the source says (HCL)
    file: str | None = None  # set when an override file merged it into a block written in another file


@dataclass(slots=True)
class SyntaxFile:
    blocks: list[SyntaxBlock]
    attributes: dict[str, SyntaxAttribute]  # top-level assignments: only tfvars files have them
    comments: list[tuple[int, str]]  # (line, text): kept for inline suppressions


pickle_by_fields(SyntaxAttribute, SyntaxBlock, SyntaxFile)


# ---------------------------------------------------------------------------------------------- HCL


def parse_hcl(text: str) -> SyntaxFile:
    """Parse HCL native syntax. Raises ParseError with the line of the fault."""
    grammar.import_lark()
    from lark.exceptions import LarkError, UnexpectedInput

    try:
        tree = grammar.parse(text)
    except UnexpectedInput as error:
        raise ParseError(_describe_unexpected(error), getattr(error, "line", None)) from None
    except LarkError as error:
        raise ParseError(f"cannot parse: {error}".splitlines()[0]) from None
    except RecursionError:
        raise ParseError(_too_deep()) from None
    comments: list[tuple[int, str]] = []
    body = tree.children[0]
    try:
        attributes, blocks = _body(body, comments, 0)
    except RecursionError:  # a backstop: the conversion counts nesting and stops at the limit first
        raise ParseError(_too_deep()) from None
    return SyntaxFile(blocks=blocks, attributes=attributes, comments=comments)


# Nodes of python-hcl2's tree that nest one level deeper; `( ... )` is an expr_term with a "(" token.
_NESTING_KINDS = {"block", "tuple", "object", "function_call", "binary_op", "conditional", "unary_op",
                  "interpolation", "for_tuple_expr", "for_object_expr", "get_attr_expr_term", "index_expr_term",
                  "attr_splat_expr_term", "full_splat_expr_term"}


def _too_deep() -> str:
    return (f"nested more than {limits.MAX_NESTING_DEPTH} levels deep (brackets, braces, blocks, calls or "
            "operators inside each other)")


class _TooDeep(ParseError):
    """Nesting past the limit, at the line of the node that went past it."""


def _deeper(node: Any, level: int) -> int:
    """The nesting level inside `node`, one of the kinds that nest (`_NESTING_KINDS`) and whose parent is at
    `level`. The conversion counts levels as it descends, so a tree nested past the limit fails there, before
    Python's recursion limit could: the same count `check_nesting` makes over a whole tree."""
    level += 1
    if level > limits.MAX_NESTING_DEPTH:
        raise _TooDeep(_too_deep(), _line(node))
    return level


def check_nesting(tree: Any, line_offset: int = 0, level: int = 0) -> None:
    """Raise ParseError at the first node nested deeper than the limit (`tree` itself inside `level` levels);
    iterative, so any depth is safe.

    A chain of binary operators (`1 + 2 + 3`) is one level, however long: the parser builds it as operations
    inside each other (`(1 + 2) + 3`), but nothing in it is written inside anything else.
    """
    limit = limits.MAX_NESTING_DEPTH
    raw_limit = 6 * limit + 20  # a backstop for nesting through node kinds not counted above
    stack = [(tree, level, 1)]
    while stack:
        node, level, raw = stack.pop()
        kind = node.data
        outer, outer_raw = level, raw
        if kind in _NESTING_KINDS or (kind == "expr_term" and any(str(c) == "(" for c in node.children
                                                                  if not _is_tree(c))):
            level += 1
        if level > limit or raw > raw_limit:
            line = _line(node)
            raise ParseError(_too_deep(), line + line_offset if line is not None else None)
        for position, child in enumerate(node.children):
            if not _is_tree(child):
                continue
            if kind == "binary_op" and position == 0 and child.data == "binary_op":
                stack.append((child, outer, outer_raw))  # the chain's earlier part: the same level as this
            else:
                stack.append((child, level, raw + 1))


def _describe_unexpected(error: Exception) -> str:
    token = getattr(error, "token", None)
    if token is not None and getattr(token, "type", "") == "$END":
        return "unexpected end of file (an unclosed block, bracket or string?)"
    if token is not None and str(token).startswith("<<"):
        opener = str(token).strip().splitlines()[0][:40]
        return f"a heredoc {opener} that is never closed (no line holding only {opener.lstrip('<-')})"
    if token is not None:
        shown = str(token).strip().splitlines()[0][:40] if str(token).strip() else repr(str(token))
        return f"unexpected {shown!r}"
    char = getattr(error, "char", None)
    if char is not None:
        return f"unexpected character {char!r}"
    return "syntax error"


def _is_tree(node: Any) -> bool:
    return hasattr(node, "data")


# Lines come from tokens: the parser does not give tree nodes positions (see gateaudit.grammar). A node's
# line is its first token's, its end line its last token's, as lark's propagate_positions would say.


def _line(node: Any) -> int | None:
    return _edge(node, 0).line


def _end_line(node: Any) -> int | None:
    return _edge(node, -1).end_line


class _NoToken:
    line = end_line = None


def _edge(node: Any, side: int) -> Any:
    """The first (`side` 0) or last (-1) token under `node`, or `_NoToken` where there is none. Iterative, by
    the edge child first: a chain of thousands of nodes is walked without recursion, and without visiting the
    children beside the edge unless the edge has no token."""
    later: list[tuple[list, int]] = []  # (children, position of the next one to try), innermost last
    step = 1 if side == 0 else -1
    while True:
        if hasattr(node, "data"):  # a tree
            children = node.children
            if children:
                if len(children) > 1:
                    later.append((children, side + step))
                node = children[side]
                continue
        elif node is not None:
            return node
        while later:
            children, position = later.pop()
            if -len(children) <= position < len(children):
                later.append((children, position + step))
                node = children[position]
                break
        else:
            return _NoToken


def _collect_comments(node: Any, comments: list[tuple[int, str]]) -> None:
    for token in node.children:
        value = token.value
        if "#" not in value and "/" not in value:  # most are line breaks and indentation
            continue
        line = token.line
        for offset, text_line in enumerate(value.split("\n")):
            stripped = text_line.strip()
            if stripped.startswith(("#", "//", "/*")):
                comments.append((line + offset, stripped))


def _body(body: Any, comments: list[tuple[int, str]],
          level: int) -> tuple[dict[str, SyntaxAttribute], list[SyntaxBlock]]:
    attributes: dict[str, SyntaxAttribute] = {}
    blocks: list[SyntaxBlock] = []
    for child in body.children:
        kind = child.data
        if kind == "new_line_or_comment":
            _collect_comments(child, comments)
        elif kind == "attribute":
            name = _name(child.children[0])
            line = _line(child)
            if name in attributes:
                raise ParseError(f'attribute "{name}" is set twice (first on line {attributes[name].line})', line)
            attributes[name] = SyntaxAttribute(name, _expr(child.children[2], level), line)
        elif kind == "block":
            blocks.append(_block(child, comments, level))
    return attributes, blocks


def _block(node: Any, comments: list[tuple[int, str]], level: int) -> SyntaxBlock:
    level = _deeper(node, level)
    children = node.children
    block_type = _name(children[0])
    labels: list[str] = []
    body = None
    for child in children[1:]:
        if not _is_tree(child):
            continue
        if child.data == "body":
            body = child
        elif child.data == "string":
            labels.append(_plain_string(child, level))
        elif child.data in ("identifier", "keyword", "literal_value"):
            labels.append(_name(child))
        elif child.data == "new_line_or_comment":
            _collect_comments(child, comments)
    attributes, blocks = _body(body, comments, level) if body is not None else ({}, [])
    return SyntaxBlock(block_type, tuple(labels), _line(node), attributes, blocks, _end_line(node))


# Names, and short strings, repeat across a file and a scan ("id", "rest_api_id", "aws_lambda_function"):
# one shared string each, and one GetAttr per name, hold less memory and pickle to fewer objects (the parse
# cache and the pool's workers send each file's syntax as a pickle, and a pickle writes a shared object once).
_SHARED_UP_TO = 64  # characters; longer strings rarely repeat
_GET_ATTRS: dict[str, GetAttr] = {}


def _shared(text: str) -> str:
    return sys.intern(text) if len(text) <= _SHARED_UP_TO else text


def _get_attr(name: str) -> GetAttr:
    step = _GET_ATTRS.get(name)
    if step is None:
        step = _GET_ATTRS[name] = GetAttr(name)
    return step


def _name(node: Any) -> str:
    return _shared(str(node.children[0]))


def _plain_string(node: Any, level: int) -> str:
    line = _line(node)
    value = _string(node, line, level)
    if isinstance(value, Literal) and isinstance(value.value, str):
        return value.value
    raise ParseError("a block label must be a plain string, without interpolation", line)


_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_ESCAPE_RE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)", re.DOTALL)


def unescape(text: str, line: int | None = None) -> str:
    def replace(match: re.Match[str]) -> str:
        code = match.group(1)
        if code[0] in "uU" and len(code) > 1:
            point = int(code[1:], 16)
            if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
                raise ParseError(f"invalid escape sequence \\{code} in a string: not a Unicode character", line)
            return chr(point)
        if code in _ESCAPES:
            return _ESCAPES[code]
        raise ParseError(f"invalid escape sequence \\{code} in a string", line)

    return _ESCAPE_RE.sub(replace, text) if "\\" in text else text


def _string(node: Any, line: int, level: int) -> Expr:
    parts: list[str | Expr] = []
    for part in node.children:
        if not _is_tree(part):  # the quotes
            continue
        inner = part.children[0]
        if _is_tree(inner):
            if inner.data == "interpolation":
                parts.append(_expr(inner.children[1], _deeper(inner, level)))
            else:  # not converted, but still not nested past the limit
                check_nesting(inner, 0, level)
                directive = inner.data.replace("template_", "").replace("_start", "")
                parts.append(Unsupported(line, f"template directive %{{{directive}}}"))
        elif inner.type == "ESCAPED_INTERPOLATION":
            parts.append("$" + str(inner)[2:])
        elif inner.type == "ESCAPED_DIRECTIVE":
            parts.append("%" + str(inner)[2:])
        else:
            parts.append(unescape(str(inner), line))
    return _template(parts, line)


def _template(parts: list[str | Expr], line: int) -> Expr:
    merged: list[str | Expr] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    if not merged:
        return Literal(line, "")
    if len(merged) == 1 and isinstance(merged[0], str):
        return Literal(line, _shared(merged[0]))
    if len(merged) == 1:
        return merged[0]  # "${x}" alone is x itself, keeping its type, as in Terraform
    return Template(line, tuple(merged))


_HEREDOC_RE = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)\r?\n(.*?)[ \t]*\2\r?\n?$", re.DOTALL)


def _heredoc(token: Any, line: int) -> Expr:
    match = _HEREDOC_RE.match(str(token))
    if match is None:
        raise ParseError("malformed heredoc", line)
    trim, _, body = match.groups()
    body = body.replace("\r\n", "\n")
    if trim:
        lines = body.split("\n")
        indents = [len(x) - len(x.lstrip(" \t")) for x in lines if x.strip()]
        cut = min(indents, default=0)
        body = "\n".join(x[cut:] for x in lines)
    return parse_template(body, line + 1)


def parse_template(text: str, line: int) -> Expr:
    """A template's text (a heredoc body, a `.tf.json` string) as an expression.

    Interpolations are found by matching braces outside quoted strings, then parsed by python-hcl2.
    """
    parts: list[str | Expr] = []
    position = 0
    literal = []
    while position < len(text):
        start = text.find("{", position)
        if start < 0:
            break
        marker = text[start - 1] if start > 0 else ""
        if marker not in ("$", "%"):
            literal.append(text[position : start + 1])
            position = start + 1
            continue
        if start >= 2 and text[start - 2] == marker:  # $${ and %%{ are escapes
            literal.append(text[position : start - 1] + "{")
            position = start + 1
            continue
        end = _closing_brace(text, start)
        if end < 0:
            raise ParseError("unclosed interpolation", line + text.count("\n", 0, start))
        literal.append(text[position : start - 1])
        parts.append("".join(literal))
        literal = []
        inner_line = line + text.count("\n", 0, start)
        inner = text[start + 1 : end].strip().strip("~").strip()
        if marker == "$":
            parts.append(parse_expression(inner, inner_line))
        else:
            parts.append(Unsupported(inner_line, f"template directive %{{{inner.split(' ')[0]}}}"))
        position = end + 1
    literal.append(text[position:])
    parts.append("".join(literal))
    return _template(parts, line)


def _closing_brace(text: str, start: int) -> int:
    depth = 0
    quoted = False
    index = start
    while index < len(text):
        char = text[index]
        if quoted:
            if char == "\\":
                index += 1
            elif char == '"':
                quoted = False
        elif char == '"':
            quoted = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return -1


def parse_expression(text: str, line: int) -> Expr:
    """One expression's source text, parsed alone; its lines are counted from `line`."""
    grammar.import_lark()
    from lark.exceptions import LarkError

    try:
        tree = grammar.parse(f"x = {text}\n")
    except (LarkError, RecursionError):
        raise ParseError(f"cannot parse the expression {text[:60]!r}", line) from None
    attribute = tree.children[0].children[0]
    try:
        return _shift(_expr(attribute.children[2], 0), line - 1)
    except _TooDeep as error:
        raise ParseError(error.message, error.line + line - 1) from None
    except RecursionError:
        raise ParseError(_too_deep(), line) from None


def _shift(expr: Expr, offset: int) -> Expr:
    import dataclasses

    if offset == 0:
        return expr

    def move(value: Any) -> Any:
        if isinstance(value, BinaryOp):  # a chain in a loop: it may hold thousands of terms
            first, links = operator_chain(value)
            moved = move(first)
            for link in links:
                moved = BinaryOp(link.line + offset, link.op, moved, move(link.right))
            return moved
        if isinstance(value, Expr):
            changes = {f.name: move(getattr(value, f.name)) for f in dataclasses.fields(value)}
            changes["line"] = value.line + offset
            return dataclasses.replace(value, **changes)
        if isinstance(value, Index):
            return Index(move(value.key))
        if isinstance(value, tuple):
            return tuple(move(v) for v in value)
        return value

    return move(expr)


def _operator(token: Any) -> str:
    return str(token).split()[-1]  # the post-lexer glues a preceding newline or comment onto operators


def _expr(node: Any, level: int) -> Expr:
    """`node` as an expression; `level`: how many nesting nodes hold it (`_deeper` counts them)."""
    kind = node.data
    if kind == "expr_term" and len(node.children) == 1 and hasattr(node.children[0], "data"):
        return _expr(node.children[0], level)  # half the nodes: a term around its one expression
    # The most common kinds next, which the grammar gives no line breaks or comments inside
    if kind in ("get_attr_expr_term", "index_expr_term", "attr_splat_expr_term", "full_splat_expr_term"):
        level = _deeper(node, level)
        base_node, step_node = node.children
        base = _expr(base_node, level)
        steps = _steps(step_node, level)
        if isinstance(base, Traversal):  # its line is the node's: no walk down to the first token again
            return Traversal(base.line, base.root, base.steps + steps)
        return Traversal(_line(node), base, steps)
    if kind == "identifier":
        [name] = node.children
        return Traversal(name.line, _shared(str(name)), ())
    line = _line(node)
    if kind == "string":
        return _string(node, line, level)
    children = [c for c in node.children if getattr(c, "data", None) != "new_line_or_comment"]
    if kind == "expr_term":
        trees = [c for c in children if hasattr(c, "data")]
        if len(trees) < len(children):  # `( expression )`: the parentheses nest
            level = _deeper(node, level)
        return _expr(trees[0], level)
    if kind == "int_lit":
        digits = str(children[0]).lstrip("-")
        if len(digits) > limits.MAX_NUMBER_DIGITS:  # Python refuses to read it; Terraform would take it
            return Unsupported(line, f"a number of {len(digits)} digits")
        return Literal(line, int(str(children[0])))
    if kind == "float_lit":
        return Literal(line, float(str(children[0])))
    if kind == "literal_value":
        return Literal(line, {"true": True, "false": False, "null": None}[str(children[0])])
    if kind == "template_string":
        return Literal(line, unescape(str(children[0])[2:-2], line))
    if kind in ("heredoc_template", "heredoc_template_trim"):
        return _heredoc(children[0], line)
    if kind == "tuple":
        level = _deeper(node, level)
        return TupleExpr(line, tuple(_expr(c, level) for c in children if _is_tree(c)))
    if kind == "object":
        level = _deeper(node, level)
        items = []
        for elem in (c for c in children if _is_tree(c)):
            key_node, value_node = elem.children[0], elem.children[2]
            key_inner = key_node.children[0]
            if key_inner.data == "keyword":
                key: Expr = Literal(line, _name(key_inner))
            else:
                key = _expr(key_inner, level)
                if isinstance(key, Traversal) and isinstance(key.root, str) and not key.steps:
                    key = Literal(key.line, key.root)  # `{ name = ... }`: a bare name is a string key
            items.append((key, _expr(value_node, level)))
        return ObjectExpr(line, tuple(items))
    if kind == "function_call":
        level = _deeper(node, level)
        names = [str(c.children[0]) for c in children if _is_tree(c) and c.data == "identifier"]
        arguments = next((c for c in children if _is_tree(c) and c.data == "arguments"), None)
        args: tuple[Expr, ...] = ()
        expand = False
        if arguments is not None:
            args = tuple(_expr(c, level) for c in arguments.children
                         if _is_tree(c) and c.data != "new_line_or_comment")
            expand = any(not _is_tree(c) and c.type == "ELLIPSIS" for c in arguments.children)
        name = "::".join(names)
        if len(names) > 1 and names[0] != "provider":  # python-hcl2 keeps `provider` as the first name
            name = "provider::" + name
        return Call(line, _shared(name), args, expand)
    if kind == "conditional":
        level = _deeper(node, level)
        exprs = [_expr(c, level) for c in children if _is_tree(c)]
        return Conditional(line, *exprs)
    if kind == "binary_op":
        return _binary_chain(node, line, _deeper(node, level))
    if kind == "unary_op":
        return UnaryOp(line, str(children[0]), _expr(children[1], _deeper(node, level)))
    if kind in ("for_tuple_expr", "for_object_expr"):
        return _for(node, children, line, _deeper(node, level))
    raise ParseError(f"unsupported expression syntax ({kind})", line)


def _binary_chain(node: Any, line: int, level: int) -> Expr:
    """`a + b - c`, which the parser nests as `((a + b) - c)`, converted in a loop: a chain of thousands of
    terms must not recurse once per term. Every operation of the chain starts on its first operand's line,
    and every operand is one level inside the chain (`level`), however long the chain is."""
    terms = []
    while _is_tree(node) and node.data == "binary_op":
        terms.append(next(c for c in node.children[1:] if _is_tree(c) and c.data != "new_line_or_comment"))
        node = node.children[0]
    result = _expr(node, level)
    for term in reversed(terms):
        term_children = [c for c in term.children if not (_is_tree(c) and c.data == "new_line_or_comment")]
        operator = _operator(term_children[0].children[0])
        result = BinaryOp(line, operator, result, _expr(term_children[1], level))
    return result


def _first_tree(children: list, skip: tuple[str, ...] = ("new_line_or_comment",)) -> Any:
    return next(c for c in children if _is_tree(c) and c.data not in skip)


def _steps(node: Any, level: int) -> tuple:
    kind = node.data
    if kind == "get_attr":
        children = node.children
        name_node = children[-1] if hasattr(children[-1], "data") else next(c for c in children if _is_tree(c))
        return (_get_attr(_name(name_node)),)
    if kind == "braces_index":
        return (Index(_expr(_first_tree(node.children), level)),)
    if kind == "short_index":
        return (Index(Literal(_line(node), int(str(node.children[1])))),)
    if kind in ("attr_splat", "full_splat"):
        steps: tuple = (Splat(),)
        for child in node.children:
            if _is_tree(child):
                steps += _steps(child, level)
        return steps
    raise ParseError(f"unsupported traversal ({kind})", _line(node))


def _for(node: Any, children: list, line: int, level: int) -> Expr:
    intro = next(c for c in children if _is_tree(c) and c.data == "for_intro")
    names = [_name(c) for c in intro.children if _is_tree(c) and c.data == "identifier"]
    collection = _expr(_first_tree(intro.children, skip=("identifier", "new_line_or_comment")), level)
    key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
    exprs = [c for c in children if _is_tree(c) and c.data not in ("for_intro", "for_cond")]
    condition_node = next((c for c in children if _is_tree(c) and c.data == "for_cond"), None)
    condition = None
    if condition_node is not None:
        condition = _expr(_first_tree(condition_node.children), level)
    grouping = any(not _is_tree(c) and c.type == "ELLIPSIS" for c in children)
    if node.data == "for_object_expr":
        return ForExpr(line, key_var, value_var, collection, _expr(exprs[0], level), _expr(exprs[1], level),
                       condition, grouping)
    return ForExpr(line, key_var, value_var, collection, None, _expr(exprs[0], level), condition)


# ------------------------------------------------------------------------------------- strings in text

@dataclass(frozen=True)
class StringSpan:
    """A string as written in a file: where it is in the text, and what it says (for masking a secret in the
    source lines a report shows, whatever escapes or lines it is written with)."""

    start: int  # offset in the text of its opening quote or `<<`
    end: int  # offset after its closing quote, or after a heredoc's closing marker line
    texts: tuple[str, ...]  # its literal text, escapes decoded: the parts around each ${...}
    heredoc: bool


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_STRING_KINDS = {"string", "template_string", "heredoc_template", "heredoc_template_trim"}


def string_spans(name: str, text: str) -> list[StringSpan]:
    """Every quoted string and heredoc of an HCL file's text, every string of a `.tf.json` file; strings
    inside a template's interpolations too. Raises ParseError where the text is not HCL."""
    if name.endswith(".json"):
        return [_json_span(match) for match in _JSON_STRING.finditer(text)]
    grammar.import_lark()
    from lark.exceptions import LarkError

    try:
        tree = grammar.parse(text)
    except (LarkError, RecursionError):
        raise ParseError("cannot parse") from None
    spans = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if not _is_tree(node):
            continue
        stack.extend(node.children)
        if node.data in _STRING_KINDS:
            first, last = _edge(node, 0), _edge(node, -1)
            expr = _expr(node, 0)
            texts = (expr.value,) if isinstance(expr, Literal) else tuple(
                part for part in getattr(expr, "parts", ()) if isinstance(part, str))
            spans.append(StringSpan(first.start_pos, last.end_pos, texts, node.data.startswith("heredoc")))
    return sorted(spans, key=lambda span: span.start)


def _json_span(match: re.Match[str]) -> StringSpan:
    import json

    try:
        value = json.loads(match.group())
    except ValueError:  # not a JSON string after all (a .tf.json that did not parse): its raw text
        value = match.group()[1:-1]
    texts: tuple[str, ...] = (value,)
    if "${" in value:
        try:
            template = parse_template(value, 1)
        except ParseError:
            template = None
        if isinstance(template, Template):
            texts = (value, *(part for part in template.parts if isinstance(part, str)))
    return StringSpan(match.start(), match.end(), texts, False)
