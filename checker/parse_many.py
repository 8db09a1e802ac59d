"""Parse many files fast: a content-hash cache on disk, and a process pool for what is not cached.

Parsing is most of a scan's time (python-hcl2's grammar, run by `checker.grammar`). An unchanged file is
read back from the cache instead of parsed again; the rest is spread over the machine's cores.

The cache lives in the user's cache folder (`$GATEAUDIT_CACHE_DIR`, else `$XDG_CACHE_HOME/gateaudit`,
else `~/.cache/gateaudit`), in a folder named after gateaudit's version and a digest of what makes the trees
(python-hcl2's version, grammar and post-lexer, lark's version), one file per content hash, beside the grammar's
parse tables and the scan cache (`checker.scan_cache`). Entries are written to a temporary file and renamed
into place, so concurrent runs never see half an entry; an entry that cannot be read is parsed again and
replaced. Entries are pickles, so the folder must be the user's own: it is created 0700, and a folder that
someone else owns or can write to is not used.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import stat
import tempfile
from pathlib import Path

from . import grammar
from .parse import ParseError, SyntaxFile, parse_hcl, parse_json

Outcome = tuple[str, SyntaxFile | None, str | None, int | None]  # ("ok"|"error", syntax, message, line)
POOL_MIN_BYTES = 256 * 1024  # below this, starting worker processes costs more than it saves


def parse_text(name: str, text: str) -> Outcome:
    try:
        syntax = parse_json(text) if name.endswith(".json") else parse_hcl(text)
    except ParseError as error:
        return ("error", None, error.message, error.line)
    return ("ok", syntax, None, None)


def _parse_item(item: tuple[str, str]) -> Outcome:
    return parse_text(*item)


def parse_all(items: list[tuple[str, str]], use_cache: bool = True, workers: int | None = None) -> list[Outcome]:
    """Outcomes for (file name, text) pairs, in order."""
    cache = cache_folder() if use_cache else None
    outcomes: list[Outcome | None] = [None] * len(items)
    keys = [_key(name, text) for name, text in items]
    if cache is not None:
        for index, key in enumerate(keys):
            outcomes[index] = _load(cache / key[:2] / key)
    missing = [index for index, outcome in enumerate(outcomes) if outcome is None]
    size = sum(len(items[index][1]) for index in missing)
    workers = workers or min(len(missing), os.cpu_count() or 1)
    if missing:
        grammar.prepare(cache)  # before the workers fork, so none of them loads the grammar again
    if workers > 1 and size >= POOL_MIN_BYTES:
        from concurrent.futures import ProcessPoolExecutor  # ~6 ms to import: only when it is used

        with ProcessPoolExecutor(max_workers=workers) as pool:
            chunk = max(1, len(missing) // (workers * 4))
            parsed = list(pool.map(_parse_item, [items[i] for i in missing], chunksize=chunk))
    else:
        parsed = [_parse_item(items[i]) for i in missing]
    for index, outcome in zip(missing, parsed, strict=True):
        outcomes[index] = outcome
        if cache is not None and outcome[0] == "ok":
            store(cache / keys[index][:2] / keys[index], outcome)
    return [outcome for outcome in outcomes if outcome is not None]


def _key(name: str, text: str) -> str:
    kind = "json" if name.endswith(".json") else "hcl"
    return hashlib.sha256(kind.encode() + b"\0" + text.encode("utf-8", "surrogatepass")).hexdigest()


def cache_folder() -> Path | None:
    """This version's cache folder, created if needed; None when no safe folder can be had."""
    from gateaudit import __version__

    parser = _parser_identity()
    if parser is None:  # an unusual install: better no cache than one shared across parsers
        return None
    base = os.environ.get("GATEAUDIT_CACHE_DIR")
    if not base:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "gateaudit")
    folder = Path(base) / f"parse-{__version__}-{parser}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
    except OSError:
        return None
    if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
        return None
    return folder


@functools.cache
def _parser_identity() -> str | None:
    """A digest of what makes the trees: python-hcl2's version, grammar and post-lexer, and lark's version
    (its `__init__.py` holds it). Read from the installed files: importing importlib.metadata for the
    versions would cost more than the rest of finding the folder."""
    from importlib.util import find_spec

    digest = hashlib.sha256()
    try:
        hcl2 = Path(find_spec("hcl2").origin).parent
        for path in (hcl2 / "version.py", hcl2 / "hcl2.lark", hcl2 / "postlexer.py", Path(find_spec("lark").origin)):
            digest.update(path.read_bytes())
    except (AttributeError, TypeError, ValueError, ImportError, OSError):  # not installed as files
        return None
    return digest.hexdigest()[:16]


def _load(path: Path) -> Outcome | None:
    try:
        with path.open("rb") as handle:
            outcome = pickle.load(handle)
    except FileNotFoundError:
        return None
    except Exception:  # a corrupt or truncated entry, whatever unpickling raised: parse the file again
        return None
    if not (isinstance(outcome, tuple) and len(outcome) == 4 and isinstance(outcome[1], SyntaxFile)):
        return None
    return outcome


def store(path: Path, entry: object) -> None:
    """Write a cache entry atomically: a concurrent run sees the old entry or the new one, never half."""
    try:
        path.parent.mkdir(exist_ok=True, mode=0o700)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            pickle.dump(entry, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except (OSError, pickle.PicklingError, RecursionError):
        return  # the cache only speeds things up; a scan never fails because of it
