"""Parse many files fast: a content-hash cache on disk, and a process pool for what is not cached.

Parsing is most of a scan's time (python-hcl2's grammar, run by `checker.grammar`). An unchanged file is
read back from the cache instead of parsed again; the rest is spread over the machine's cores. The cache
keeps one signed entry per content hash in the cache folder (`checker.cache`: where it is, whom it trusts).
"""

from __future__ import annotations

import hashlib
import os

from . import grammar
from .cache import Cache, open_cache, read, write
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
    cache = open_cache() if use_cache else None
    outcomes: list[Outcome | None] = [None] * len(items)
    keys = [_key(name, text) for name, text in items]
    if cache is not None:
        for index, key in enumerate(keys):
            outcomes[index] = _load(cache, key)
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
            write(cache, _entry_name(keys[index]), outcome)
    return [outcome for outcome in outcomes if outcome is not None]


def _key(name: str, text: str) -> str:
    kind = "json" if name.endswith(".json") else "hcl"
    return hashlib.sha256(kind.encode() + b"\0" + text.encode("utf-8", "surrogatepass")).hexdigest()


def _entry_name(key: str) -> str:
    return f"{key[:2]}/{key}"


def _load(cache: Cache, key: str) -> Outcome | None:
    outcome = read(cache, _entry_name(key))
    if not (isinstance(outcome, tuple) and len(outcome) == 4 and isinstance(outcome[1], SyntaxFile)):
        return None
    return outcome
