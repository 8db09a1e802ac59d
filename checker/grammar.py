"""python-hcl2's grammar, run faster.

gateaudit parses HCL with python-hcl2's own grammar and post-lexer rules, and runs them two ways cheaper
than `hcl2.parses_to_tree` does:
- without lark's `propagate_positions`, which costs about 40% of a parse: `gateaudit.parse` reads each
  node's line from its first token instead;
- with lark-cython, lark's LALR parser and lexer compiled, when it is installed. lark-cython has no
  post-lexer hook, so `_PostLexingThread` applies python-hcl2's post-lexer rule while it hands tokens over.

- with the reductions that only pass their one child up (`?expression` down to `expr_term`: a third of
  all reductions) done by `operator.itemgetter` instead of lark's Python wrappers (`_pass_through`), and those
  that drop tokens or inline a `_rule` by a function written for their positions instead of lark's loop
  (`_filtered`).

Together they parse about 2.5 times faster, and the trees are the same token for token
(tests/checker/test_grammar.py compares them on every Terraform file in the repository).

The parse tables come from python-hcl2's own parser (`hcl2.parser.parser()`, which keeps them in a file
beside the package), rebuilt with these options. In gateaudit's cache folder they are kept ready to
load, signed like every entry there (`gateaudit.cache`), which saves importing hcl2 and half of the loading.
"""

from __future__ import annotations

import functools
import operator
import sys
from collections.abc import Callable
from typing import Any

from .cache import Cache, read, write

# The operator tokens python-hcl2's post-lexer glues a preceding newline or comment onto
# (hcl2.postlexer.OPERATOR_TYPES; a test keeps the two equal). Not imported: importing hcl2 costs ~25 ms.
OPERATOR_TYPES = frozenset({"DOUBLE_EQ", "NEQ", "LT", "GT", "LEQ", "GEQ", "ASTERISK", "SLASH", "PERCENT",
                            "DOUBLE_AMP", "DOUBLE_PIPE", "PLUS", "QMARK"})

TABLES_FILE = "hcl2-grammar.pickle"  # in the parse cache's folder, which names the hcl2 and lark versions

_parser: Any = None
_accelerated = False


class _PostLexingThread:
    """lark-cython's token source for one parse, applying python-hcl2's post-lexer rule on the way.

    A newline-or-comment token directly before a binary operator becomes part of that operator's token,
    so the LALR parser can tell a line continuation from the end of a statement. The token after a
    newline is lexed in the parser state before the newline is consumed, exactly as lark's own
    post-lexer connection does.
    """

    def __init__(self, lexer: Any, state: Any) -> None:
        self.lexer = lexer
        self.state = state
        self.pending: Any = None

    @classmethod
    def from_text(cls, lexer: Any, text: str) -> _PostLexingThread:
        return cls(lexer, lexer.make_lexer_state(text))

    def next_token(self, parser_state: Any) -> Any:
        if self.pending is not None:
            token, self.pending = self.pending, None
        else:
            token = self.lexer.next_token(self.state, parser_state)
        if token.type != "NL_OR_COMMENT":
            return token
        try:
            following = self.lexer.next_token(self.state, parser_state)
        except EOFError:
            return token
        if following.type in OPERATOR_TYPES:
            return following.update(value=token.value + following.value)
        self.pending = following
        return token


def parse(text: str) -> Any:
    """The lark tree of HCL text, as `hcl2.parses_to_tree` gives it."""
    # python-hcl2 ends the text with a newline: its grammar needs one after the last statement.
    return parser().parse(text + "\n")


def parser() -> Any:
    """The lark parser `gateaudit.parse` uses; `prepare()` may have loaded it from the cache folder."""
    if _parser is None:
        prepare(None)
    return _parser


def accelerated() -> bool:
    """Whether lark-cython runs the parse."""
    parser()
    return _accelerated


def prepare(cache: Cache | None) -> None:
    """Load the parser once per process, from `cache` when it holds the tables."""
    global _parser, _accelerated
    if _parser is not None:
        return
    tables = read(cache, TABLES_FILE) if cache is not None else None
    if isinstance(tables, dict) and {"data", "memo"} <= tables.keys():
        try:
            _parser, _accelerated = _build(tables)
            return
        except Exception:  # tables that unpickle but do not load: rebuild them from python-hcl2
            pass
    tables = _tables_from_python_hcl2()
    _parser, _accelerated = _build(tables)
    if cache is not None:
        write(cache, TABLES_FILE, tables)  # like a parse cache entry: signed, atomically, never failing a scan


def import_lark() -> None:
    """Import lark without the `regex` package, which it imports only to offer as an option gateaudit never
    takes (`Lark(regex=True)`); python-hcl2 installs it, and importing it costs about 15 ms of every scan."""
    if "lark" in sys.modules or "regex" in sys.modules:
        return
    sys.modules["regex"] = None  # `import regex` raises ImportError: lark goes on with `re`
    try:
        import lark
        import lark.lark  # noqa: F401
    finally:
        del sys.modules["regex"]


# python-hcl2's patterns for strings, comments and heredocs repeat a group once per character, and Python's
# `re` keeps backtracking state for every repetition: about 115 bytes per character, 2 GB for one 9 MB string.
# The same languages, written so that `re` keeps none (a possessive repeat where nothing follows it, a
# character class for "any character"), give the same tokens (tests/checker/test_grammar.py).
_STRING_CHARS = ('(?:(?!\\$\\$\\{)(?!\\$\\{)(?!%%\\{)(?!%\\{)[^"\\\\]|\\\\.|(?:\\$(?!\\$?\\{))|'
                 '(?:%(?!%?\\{)))+')
# The same characters, looked ahead of only where one could start an interpolation: python-hcl2's pattern
# checks four lookaheads before every character, which only a `$` or a `%` can fail. Nothing follows the
# repeat: possessive is the same.
_STRING_CHARS_LEAN = '(?:[^"\\\\$%]|\\\\.|\\$(?!\\$?\\{)|%(?!%?\\{))++'
_HEREDOC = "<<{dash}(?P<{name}>[a-zA-Z][a-zA-Z0-9._-]*)\r?\n(?:{body}\r?\n)??\\s*(?P={name})\r?\n"
_LEANER_PATTERNS = {  # terminal: (python-hcl2's pattern, the same language without per-character state)
    "STRING_CHARS": (_STRING_CHARS, _STRING_CHARS_LEAN),
    "NL_OR_COMMENT": ("(?:\\/\\*(.|\n)*?(\\*\\/)|\\/\\/.*\n|#.*\n|\n[ \t]*)",
                      "(?:\\/\\*[\\s\\S]*?\\*\\/|\\/\\/.*\n|#.*\n|\n[ \t]*)"),
    "HEREDOC_TEMPLATE": (_HEREDOC.format(dash="", name="heredoc", body="(?:.|\n)*?"),
                         _HEREDOC.format(dash="", name="heredoc", body="[\\s\\S]*?")),
    "HEREDOC_TEMPLATE_TRIM": (_HEREDOC.format(dash="-", name="heredoc_trim", body="(?:.|\n)*?"),
                              _HEREDOC.format(dash="-", name="heredoc_trim", body="[\\s\\S]*?")),
}


def lean_patterns(tables: dict) -> int:
    """Rewrite python-hcl2's per-character group repeats in the tables (in place); how many were rewritten."""
    rewritten = 0
    for entry in tables["memo"].values():
        fix = _LEANER_PATTERNS.get(entry.get("name")) if isinstance(entry, dict) else None
        pattern = entry.get("pattern") if fix else None
        if pattern is not None and pattern.get("value") == fix[0]:
            pattern["value"] = fix[1]
            rewritten += 1
    return rewritten


def _build(tables: dict) -> tuple[Any, bool]:
    import_lark()
    from lark import Lark

    lean_patterns(tables)

    try:
        import lark_cython
    except ImportError:
        from hcl2.postlexer import PostLexer

        return Lark._load_from_dict(tables["data"], tables["memo"], propagate_positions=False,
                                    postlex=PostLexer()), False
    plugins = {**lark_cython.plugins, "LexerThread": _PostLexingThread}
    parser = Lark._load_from_dict(tables["data"], tables["memo"], propagate_positions=False, postlex=None,
                                  _plugins=plugins)
    lalr = parser.parser.parser  # lark_cython's LALR_Parser: its compiled loop calls one callback per reduction
    callbacks = {_by_identity(rule): _pass_through(rule, parser.options.maybe_placeholders) or _filtered(callback)
                 or callback for rule, callback in parser._callbacks.items()}
    lalr.parser = type(lalr.parser)(lalr._parse_table, callbacks)
    return parser, True


def _by_identity(rule: Any) -> Any:
    """The rule, made to hash and compare as itself (`object`'s own, in C) before it keys the callbacks.

    The compiled loop finds each reduction's callback by its rule, and lark's `Rule` hashes and compares in
    Python, origin and expansion symbol by symbol: a sixth of a parse. The parse table and the callbacks hold the
    very same rule objects (loaded together), so by identity each reduction finds the callback it found before.
    (lark's own `_callbacks`, keyed by the old hashes, is not read again: the compiled parser is given these.)"""
    identity = _rule_by_identity()
    if type(rule) is identity.__base__:
        rule.__class__ = identity
    return rule


@functools.cache
def _rule_by_identity() -> type:
    from lark.grammar import Rule

    return type("RuleByIdentity", (Rule,), {"__slots__": (), "__hash__": object.__hash__, "__eq__": object.__eq__})


def _pass_through(rule: Any, placeholders: bool) -> Callable | None:
    """For a `?rule` expansion that always keeps exactly one child, and so gives that child itself (lark's
    `ExpandSingleChild` around its child filter), the same as a C function: `itemgetter(position)`."""
    options = rule.options
    if not options.expand1 or rule.alias or (placeholders and options.empty_indices):
        return None
    kept = [position for position, symbol in enumerate(rule.expansion)
            if options.keep_all_tokens or not (symbol.is_term and symbol.filter_out)]
    if len(kept) != 1:
        return None
    symbol = rule.expansion[kept[0]]
    if not symbol.is_term and symbol.name.startswith("_"):  # an inlined `_rule` may give any number of children
        return None
    return operator.itemgetter(kept[0])


def _filtered(callback: Any) -> Callable | None:
    """lark's child filter for a rule that drops tokens or inlines a `_rule` (`ChildFilterLALR_NoPlaceholders`, a
    fifth of all reductions), written out for its positions: "inline the first child, drop the second, keep the
    third" is `kept = c[0].children; kept.append(c[2]); return build(kept)`. lark loops over the same positions
    in Python for every reduction.

    As lark's does, it takes over the children of a first child it inlines, and adds to them: a list written as
    a left-recursive rule (`[1, 2, ...]`, a body's attributes) grows by each element, never copied again, or a
    list of n elements would cost n * n / 2 copies."""
    if type(callback).__name__ != "ChildFilterLALR_NoPlaceholders":
        return None
    lines = []
    for position, expand in callback.to_include:
        child = f"c[{int(position)}]"  # positions from the grammar's tables: ints, checked, nothing else written
        if not lines:
            lines.append(f"kept = {child}.children" if expand else f"kept = [{child}]")
        else:
            lines.append(f"kept += {child}.children" if expand else f"kept.append({child})")
    body = "".join(f"\n    {line}" for line in lines or ["kept = []"])
    namespace: dict[str, Any] = {"build": callback.node_builder}
    exec(f"def filtered(c):{body}\n    return build(kept)", namespace)
    return namespace["filtered"]


def _tables_from_python_hcl2() -> dict:
    from hcl2.parser import parser as hcl2_parser
    from lark.grammar import Rule
    from lark.lexer import TerminalDef

    data, memo = hcl2_parser().memo_serialize([TerminalDef, Rule])
    # Options that say how to run the tables, not what they are, are given again at each load.
    data["options"] = {k: v for k, v in data["options"].items()
                       if k not in ("postlex", "propagate_positions", "_plugins", "transformer", "tree_class",
                                    "lexer_callbacks")}
    return {"data": data, "memo": memo}
