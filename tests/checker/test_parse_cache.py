"""The parse cache and the process pool change how fast a scan is, never what it finds."""

import os
import stat
from pathlib import Path

import pytest

from gateaudit import cache as cache_module
from gateaudit import parse_many
from gateaudit.modules import load

FILE = 'resource "aws_api_gateway_method" "m%d" {\n  rest_api_id = "a"\n  resource_id = "r"\n' \
       '  http_method = "GET"\n  authorization = "NONE"\n}\n'


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("GATEAUDIT_CACHE_DIR", str(folder))
    return folder


def addresses_and_lines(folder: Path, **options) -> list[tuple[str, str]]:
    stack, errors = load([folder], **options)
    assert errors == []
    return sorted((b.address, str(b.location)) for b in stack.blocks())


def test_cached_uncached_and_pooled_parses_agree(tmp_path, cache, monkeypatch):
    tf = tmp_path / "tf"
    tf.mkdir()
    for n in range(40):
        (tf / f"f{n}.tf").write_text("\n" * n + FILE % n)
    uncached = addresses_and_lines(tf, use_cache=False)
    cold = addresses_and_lines(tf)
    assert any(cache.rglob("*")), "a cold run fills the cache"
    warm = addresses_and_lines(tf)
    monkeypatch.setattr(parse_many, "POOL_MIN_BYTES", 0)  # force the process pool
    pooled = addresses_and_lines(tf, use_cache=False)
    assert uncached == cold == warm == pooled
    assert ("aws_api_gateway_method.m39", "f39.tf:40") in uncached


def test_a_corrupt_entry_is_parsed_again(tmp_path, cache):
    tf = tmp_path / "tf"
    tf.mkdir()
    (tf / "main.tf").write_text(FILE % 1)
    first = addresses_and_lines(tf)
    for entry in (p for p in cache.rglob("*") if p.is_file()):
        entry.write_bytes(b"\x80\x04not a pickle")
    assert addresses_and_lines(tf) == first


def test_a_changed_file_is_never_served_from_the_cache(tmp_path, cache):
    tf = tmp_path / "tf"
    tf.mkdir()
    (tf / "main.tf").write_text(FILE % 1)
    addresses_and_lines(tf)
    (tf / "main.tf").write_text(FILE % 2)
    assert addresses_and_lines(tf)[0][0] == "aws_api_gateway_method.m2"


def test_an_entry_edited_by_a_byte_is_ignored_and_rewritten(tmp_path, cache):
    tf = tmp_path / "tf"
    tf.mkdir()
    (tf / "main.tf").write_text(FILE % 1)
    first = addresses_and_lines(tf)
    [entry] = (p for p in cache.rglob("*/[0-9a-f][0-9a-f]/*") if p.is_file())
    kept = entry.read_bytes()
    assert kept.count(b"\x8c\x02m1") == 1  # the block's label, a short string in the pickle
    entry.write_bytes(kept.replace(b"\x8c\x02m1", b"\x8c\x02m9"))  # still a pickle: of a block named m9
    assert addresses_and_lines(tf) == first == [("aws_api_gateway_method.m1", "main.tf:1")]
    assert entry.read_bytes() == kept  # written again


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions only")
@pytest.mark.parametrize("mode", [0o777, 0o770, 0o755, 0o750, 0o701])
def test_a_folder_others_can_read_or_write_is_not_used(tmp_path, cache, mode):
    """The folder holds parsed source, literals and all: it is the user's alone, or not used."""
    assert cache_module.open_cache() is not None
    [folder] = cache.iterdir()
    assert folder.stat().st_mode & 0o777 == 0o700
    os.chmod(folder, mode)
    assert cache_module.open_cache() is None
    os.chmod(folder, stat.S_IRWXU)
    assert cache_module.open_cache() is not None


def test_the_cache_folder_is_named_after_python_hcl2s_version_and_grammar(tmp_path, cache, monkeypatch):
    import importlib.util
    import shutil
    from types import SimpleNamespace

    installed = Path(importlib.util.find_spec("hcl2").origin).parent
    as_installed = cache_module.open_cache().folder.name
    copy = tmp_path / "hcl2"
    shutil.copytree(installed, copy, ignore=shutil.ignore_patterns("__pycache__", "*.bin"))
    real_find_spec = importlib.util.find_spec

    def find_spec(name, *args):
        return SimpleNamespace(origin=str(copy / "__init__.py")) if name == "hcl2" else real_find_spec(name, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    names = []
    for change in (None, ("version.py", "\n# 8.1.5\n"), ("hcl2.lark", "\n// a grammar change\n")):
        if change:
            with (copy / change[0]).open("a") as handle:
                handle.write(change[1])
        cache_module._parser_identity.cache_clear()
        names.append(cache_module.open_cache().folder.name)
    cache_module._parser_identity.cache_clear()
    assert len(set(names)) == 3 and names[0] == as_installed, names


@pytest.mark.parametrize("module", ["parse", "grammar", "jsonpos", "expr", "limits", "parse_many"])
def test_the_cache_folder_is_named_after_gateaudits_own_parse_code(tmp_path, cache, monkeypatch, module):
    """A change to the code that shapes the parsed files never reads pickles of the old shape."""
    import importlib.util
    import shutil
    from types import SimpleNamespace

    name = f"gateaudit.{module}"
    installed = Path(importlib.util.find_spec(name).origin)
    as_installed = cache_module.open_cache().folder.name
    copy = tmp_path / installed.name
    shutil.copy(installed, copy)
    real_find_spec = importlib.util.find_spec

    def find_spec(wanted, *args):
        return SimpleNamespace(origin=str(copy)) if wanted == name else real_find_spec(wanted, *args)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)
    with copy.open("a") as handle:
        handle.write("\n# a change\n")
    cache_module._parser_identity.cache_clear()
    try:
        changed = cache_module.open_cache().folder.name
    finally:
        cache_module._parser_identity.cache_clear()
    assert changed != as_installed


def _items(count: int) -> list[tuple[str, str]]:
    return [(f"f{n}.tf", FILE % n) for n in range(count)]


def test_pool_workers_keep_what_they_parse_in_the_cache(cache, monkeypatch):
    """Each worker writes its files' entries itself: the parent only reads the outcome it is sent."""
    monkeypatch.setattr(parse_many, "POOL_MIN_BYTES", 0)
    written_by_parent = []
    monkeypatch.setattr(parse_many, "write", lambda *entry: written_by_parent.append(entry))
    pooled = parse_many.parse_all(_items(12), workers=2)
    assert len([p for p in cache.rglob("*/[0-9a-f][0-9a-f]/*") if p.is_file()]) == 12
    assert written_by_parent == []

    def never(*_):
        raise AssertionError("parsed again")

    monkeypatch.setattr(parse_many, "parse_text", never)
    monkeypatch.setattr(parse_many, "_parse_in_workers", never)
    assert parse_many.parse_all(_items(12)) == pooled


def test_on_one_core_small_files_parse_in_process_and_a_large_one_in_a_worker(cache, monkeypatch):
    """A CI runner given one core (`taskset -c 0`) gains nothing from spreading files over workers; a file
    large enough to need bounded memory still parses in one."""
    monkeypatch.setattr(os, "sched_getaffinity", lambda _: {0}, raising=False)
    monkeypatch.setattr(parse_many, "POOL_MIN_BYTES", 0)
    sent = []
    spread = parse_many._parse_in_workers

    def recorded(batch, *args):
        sent.extend(name for name, _, _ in batch)
        return spread(batch, *args)

    monkeypatch.setattr(parse_many, "_parse_in_workers", recorded)
    large = ("large.tf", "# " + "x" * parse_many.ISOLATE_BYTES + "\n" + FILE % 99)
    outcomes = parse_many.parse_all([*_items(12), large], use_cache=False)
    assert sent == ["large.tf"]
    assert [status for status, *_ in outcomes] == ["ok"] * 13


def test_a_name_repeated_in_a_file_is_kept_once_in_its_entry(tmp_path, cache):
    """Names repeat (every method names `rest_api_id`, `aws_api_gateway_rest_api.api.id`): one shared string
    and one shared step each keep the entry, and the syntax in memory, small."""
    tf = tmp_path / "tf"
    tf.mkdir()
    (tf / "main.tf").write_text("".join(FILE.replace('"a"', "aws_api_gateway_rest_api.api.id") % n
                                        for n in range(50)))
    addresses_and_lines(tf)
    [entry] = (p for p in cache.rglob("*/[0-9a-f][0-9a-f]/*") if p.is_file())
    kept = entry.read_bytes()
    assert kept.count(b"rest_api_id") == 1 and kept.count(b"aws_api_gateway_rest_api") == 1


EVERY_KIND = '''locals {
  a = "text ${var.x} and %{ if var.y }yes%{ endif }"
  b = [for k, v in var.m : upper(v) if k != "" ]
  c = {for k, v in var.m : k => v...}
  d = var.list[*].id
  e = local.map["key"].name
  f = !var.flag ? -1 : 2 * (3 + 4)
  g = concat(var.lists...)
  h = { x = 1, "y" = [true, null, 1.5] }
}
'''


def test_every_kind_of_node_comes_back_from_a_pickle_as_it_was_parsed():
    """Parse-cache entries and the pool's answers are pickles of the parsed file: each kind of node must come
    back equal, its fields in their places."""
    import pickle

    from gateaudit import expr
    from gateaudit.parse import parse_hcl

    syntax = parse_hcl(EVERY_KIND)
    back = pickle.loads(pickle.dumps(syntax, protocol=pickle.HIGHEST_PROTOCOL))
    assert back == syntax
    seen: set[type] = set()

    def walk(value):
        seen.add(type(value))
        if isinstance(value, (list, tuple)):
            for item in value:
                walk(item)
        elif hasattr(value, "__dataclass_fields__"):
            for name in value.__dataclass_fields__:
                walk(getattr(value, name))

    walk([attribute.expr for attribute in syntax.blocks[0].attributes.values()])
    kinds = {expr.Literal, expr.Template, expr.GetAttr, expr.Index, expr.Splat, expr.Traversal, expr.Call,
             expr.Conditional, expr.TupleExpr, expr.ObjectExpr, expr.BinaryOp, expr.UnaryOp, expr.ForExpr,
             expr.Unsupported}
    assert kinds <= seen, kinds - seen
    assert back.blocks[0].attributes["g"].expr.expand_last is True
    assert back.blocks[0].attributes["c"].expr.grouping is True


@pytest.mark.parametrize("pooled", [False, True], ids=["in process", "pooled"])
def test_text_several_files_hold_is_written_to_the_cache_once(tmp_path, cache, monkeypatch, pooled):
    tf = tmp_path / "tf"
    for n in range(6):
        (tf / f"svc{n}").mkdir(parents=True)
        (tf / f"svc{n}" / "main.tf").write_text(FILE % 1)  # the same text in every folder
        (tf / f"svc{n}" / "own.tf").write_text(FILE % (n + 10))
    log = tmp_path / "written.log"  # a file, not a list: pool workers write entries too

    def logged(real):
        def write(cache, name, entry):
            with open(log, "a") as out:
                out.write(name + "\n")
            real(cache, name, entry)
        return write

    monkeypatch.setattr(parse_many, "write_pickled", logged(parse_many.write_pickled))
    monkeypatch.setattr(parse_many, "write", logged(parse_many.write))
    if pooled:
        monkeypatch.setattr(parse_many, "POOL_MIN_BYTES", 0)
    first = addresses_and_lines(tf)
    names = log.read_text().split()
    assert len(names) == len(set(names)) == 7
    assert addresses_and_lines(tf) == first and log.read_text().split() == names  # all read from the cache


@pytest.mark.parametrize("pooled", [False, True], ids=["in process", "pooled"])
def test_a_file_found_in_the_cache_is_not_unpickled_to_be_noted(cache, monkeypatch, pooled):
    """A monorepo's scan notes each file (comments, blocks' lines, module sources) as soon as it is parsed or found
    in the cache, and unpickles its tree only when it loads the file's root: its entry holds the notes beside the
    pickled tree, so a file found there is unpickled once, not twice."""
    if pooled:
        monkeypatch.setattr(parse_many, "POOL_MIN_BYTES", 0)
    parsed = parse_many.parse_all_kept(_items(6), workers=2)
    trees = []
    real = parse_many.unpickle

    def counting(payload):
        found = real(payload)
        trees.extend([found] if isinstance(found, tuple) and len(found) == 4 else [])  # an outcome, not an entry
        return found

    monkeypatch.setattr(parse_many, "unpickle", counting)
    found = parse_many.parse_all_kept(_items(6))
    assert trees == []
    assert found == parsed  # the same notes, and the same pickled trees
    assert [parse_many.unpickled(kept) for kept in found] == parse_many.parse_all(_items(6))


def test_a_file_whose_kept_tree_was_dropped_is_parsed_again_from_its_text(tmp_path, cache):
    """A root's own files' trees are dropped once it is judged (`Loader.drop`). Should anything ask for one again
    (no scan of one folder does), it is parsed again from the file's text, read again and checked against what
    was read first."""
    from gateaudit.loader import Loader
    from gateaudit.parse import parse_hcl

    path = tmp_path / "main.tf"
    path.write_text(FILE % 1)
    loader = Loader(keep_outcomes=True, base=tmp_path, root=tmp_path)
    loader.parse_ahead([path])
    assert loader.note(path) == (None,)  # recorded from its notes (one block, no module source), tree kept pickled
    loader.drop({path})
    assert path not in loader.outcomes
    assert loader.parse(path) == parse_hcl(FILE % 1)
    assert loader.stack.files == ["main.tf"] and loader.errors == []  # recorded once
