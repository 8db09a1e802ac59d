"""The fast parser (checker.grammar) gives exactly what python-hcl2's own parser gives, on every file we have.

python-hcl2's `parses_to_tree` is the reference: the same grammar run by lark in pure Python with
positions on every node. gateaudit runs it without node positions and, where installed, with lark-cython.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import hcl2
import hcl2.postlexer
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lark import Tree
from lark.exceptions import LarkError

from gateaudit import grammar, parse
from gateaudit.cache import open_cache
from gateaudit.parse import ParseError, parse_hcl

ROOT = Path(__file__).resolve().parents[2]
PEER = ROOT.parent / "shared" / "peer" / "checkov"


def _corpus() -> list[Path]:
    files = [p for folder in (ROOT / "tests", ROOT / "stack") for p in folder.rglob("*")
             if p.is_file() and p.name.endswith((".tf", ".tfvars", ".hcl")) and ".terraform" not in p.parts]
    if PEER.is_dir():
        files += [p for p in PEER.rglob("*.tf") if p.is_file()]
    return sorted(files)


CORPUS = _corpus()


def _texts() -> list[tuple[str, str]]:
    texts = []
    for path in CORPUS:
        try:
            texts.append((str(path.relative_to(ROOT.parent)), path.read_text(encoding="utf-8")))
        except (UnicodeDecodeError, OSError):
            continue  # the hostile corpus has undecodable files: the loader rejects them before parsing
    return texts


TEXTS = _texts()


def _tokens_and_lines(tree) -> list:
    """Every node in order: rule names with their first and last token lines, tokens with all positions."""
    out = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, Tree):
            out.append((node.data, parse._line(node), parse._end_line(node), len(node.children)))
            stack.extend(reversed(node.children))
        elif node is None:
            out.append(None)
        else:
            out.append((node.type, str(node), node.line, node.column, node.end_line, node.end_column))
    return out


def _tree_or_error(parse_text, text: str):
    try:
        return _tokens_and_lines(parse_text(text))
    except (LarkError, RecursionError) as error:
        return type(error).__name__


@functools.cache
def _reference() -> list:
    """python-hcl2's own trees (or error kinds) for the whole corpus: computed once, compared against twice."""
    return [_tree_or_error(hcl2.parses_to_tree, text) for _, text in TEXTS]


def test_the_corpus_is_the_whole_repository():
    assert len(TEXTS) > 250  # every fixture, the reference stack, the hostile corpus, the peer's fixtures


def test_operator_types_are_python_hcl2s():
    assert grammar.OPERATOR_TYPES == hcl2.postlexer.OPERATOR_TYPES


def test_lark_cython_runs_the_parse():
    """The accelerator is a dependency: if it stops loading, scans quietly get 2.5 times slower."""
    assert grammar.accelerated()


def test_same_trees_token_for_token():
    got = [_tree_or_error(grammar.parse, text) for _, text in TEXTS]
    assert [name for (name, _), a, b in zip(TEXTS, got, _reference(), strict=True) if a != b] == []


def test_lines_from_tokens_are_the_lines_lark_gives_nodes():
    """Without propagate_positions, a node's line is its first token's: the same number lark would give."""
    wrong = []
    for name, text in TEXTS:
        try:
            tree = hcl2.parses_to_tree(text)
        except (LarkError, RecursionError):
            continue
        for node in tree.iter_subtrees():
            if node.meta.empty:
                continue
            if (parse._line(node), parse._end_line(node)) != (node.meta.line, node.meta.end_line):
                wrong.append((name, node.data, node.meta.line, parse._line(node)))
                break
    assert wrong == []


def _outcome(text: str):
    try:
        return parse_hcl(text)
    except ParseError as error:
        return ("error", error.message, error.line)


def test_same_syntax_and_errors_as_with_python_hcl2s_parser(monkeypatch):
    fast = [_outcome(text) for _, text in TEXTS]
    from hcl2.parser import parser as hcl2_parser

    monkeypatch.setattr(grammar, "_parser", hcl2_parser())
    reference = [_outcome(text) for _, text in TEXTS]
    differ = [name for (name, _), a, b in zip(TEXTS, fast, reference, strict=True) if a != b]
    assert differ == []
    assert any(isinstance(outcome, tuple) for outcome in fast)  # the corpus has errors to compare too


@pytest.mark.parametrize("text", ["a = 1\nb = x\n  + 2\n", "a = x # c\n  ? 1 : 2\n", "a = 1\n\n\n# end\n",
                                  "a = [\n  1,\n  2\n]\n", "locals {\n  x = y # c\n  && z\n}\n", "a = \"x\" +\n"])
def test_newlines_before_operators(text):
    assert _tree_or_error(grammar.parse, text) == _tree_or_error(hcl2.parses_to_tree, text)


def test_tables_are_kept_in_the_cache_folder_and_a_corrupt_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("GATEAUDIT_CACHE_DIR", str(tmp_path))
    cache = open_cache()
    monkeypatch.setattr(grammar, "_parser", None)
    grammar.prepare(cache)
    tables = cache.folder / grammar.TABLES_FILE
    assert tables.is_file()
    first = grammar.parse("a = 1")
    whole = tables.read_bytes()
    middle = len(whole) // 2
    one_byte_edited = whole[:middle] + bytes([whole[middle] ^ 1]) + whole[middle + 1:]
    for damage in (b"", b"not a pickle", whole[:1000], one_byte_edited):
        tables.write_bytes(damage)
        monkeypatch.setattr(grammar, "_parser", None)
        grammar.prepare(cache)
        assert grammar.parse("a = 1") == first
        assert tables.read_bytes() == whole  # written again, whole


def test_without_lark_cython_the_same_grammar_runs_in_pure_python(monkeypatch):
    """Where lark-cython cannot be installed, lark runs the same tables with python-hcl2's own post-lexer."""
    monkeypatch.setitem(sys.modules, "lark_cython", None)  # `import lark_cython` raises ImportError
    monkeypatch.setattr(grammar, "_parser", None)
    grammar.prepare(None)
    assert not grammar.accelerated()
    got = [_tree_or_error(grammar.parse, text) for _, text in TEXTS]
    assert [name for (name, _), a, b in zip(TEXTS, got, _reference(), strict=True) if a != b] == []
    monkeypatch.setattr(grammar, "_parser", None)  # the next test loads the accelerated parser again


def test_every_per_character_repeat_of_python_hcl2s_patterns_is_made_lean():
    """A python-hcl2 upgrade that rewrites a pattern would quietly bring back 115 bytes per character."""
    assert grammar.lean_patterns(grammar._tables_from_python_hcl2()) == 4


@pytest.mark.parametrize("text", [
    'a = "x$y%z$${a}%%{b}\\\\\\"q$"\n', 'a = "${b}$"\n', 'a = "%"\n', 'a = "$"\n', 'a = "a\\\\"\n',
    "/* a * b ** / */\na = 1 /* x\n*/\n", "/**/a = 1\n", "/* a\r\n b */\na = 1\n",
    "a = <<EOT\nx\n\n  EOT y\nEOT\n", "a = <<-EOT\n  x\r\n  EOT\n", "a = <<EOT\nEOT\n", "a = <<EOT\n\nEOT\n",
    'a = "${"\n', "/* never closed\na = 1\n", "a = <<EOT\nnever closed\n",
])
def test_lean_patterns_give_python_hcl2s_tokens(text):
    assert _tree_or_error(grammar.parse, text) == _tree_or_error(hcl2.parses_to_tree, text)


# Pieces whose every order is a case: an interpolation's opener, escaped or not, after any character.
_PIECES = ["a", " ", "$", "%", "{", "}", "${", "$${", "%{", "%%{", "\\", '\\"', "\n", '"']


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=8).map("".join))
def test_string_characters_lexed_as_python_hcl2_lexes_them(inside):
    """The lean STRING_CHARS looks ahead only after a `$` or a `%`: every string, interpolations, escapes and
    unclosed ones included, lexes (or fails) as python-hcl2's pattern, which looks ahead before every character."""
    text = f'a = "{inside}"\n'
    assert _tree_or_error(grammar.parse, text) == _tree_or_error(hcl2.parses_to_tree, text)
