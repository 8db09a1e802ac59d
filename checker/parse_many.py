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

from . import grammar, limits
from .parse import ParseError, SyntaxFile, parse_hcl, parse_json

Outcome = tuple[str, SyntaxFile | None, str | None, int | None]  # ("ok"|"error", syntax, message, line)
# Below this, starting worker processes costs more than it saves; from it on, parsing runs in workers of
# bounded memory, even for one file, so a file whose tree would take gigabytes fails alone, cleanly.
POOL_MIN_BYTES = 256 * 1024
_OUT_OF_MEMORY = "out of memory"  # a worker's outcome; parse_all says which limit it ran into


def parse_text(name: str, text: str) -> Outcome:
    try:
        syntax = parse_json(text) if name.endswith(".json") else parse_hcl(text)
    except ParseError as error:
        return ("error", None, error.message, error.line)
    return ("ok", syntax, None, None)


def _parse_item(item: tuple[str, str]) -> Outcome:
    try:
        return parse_text(*item)
    except MemoryError:  # the worker's limit (_limit_memory): what it built so far is freed on the way out
        return ("error", None, _OUT_OF_MEMORY, None)


def _parse_chunk(chunk: list[tuple[str, str]]) -> list[Outcome]:
    return [_parse_item(item) for item in chunk]


def _limit_memory(allowance: int) -> None:
    """A parse worker's initializer: its address space may grow by `allowance` bytes past what it starts
    with (its parent's, when forked). Where the address space cannot be read (not Linux), no limit is set;
    the scan size limit still bounds what is parsed."""
    try:
        import resource

        with open("/proc/self/statm") as statm:
            current = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = current + allowance
        for given in (soft, hard):  # never above a limit the scan itself runs under
            if given != resource.RLIM_INFINITY:
                limit = min(limit, given)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError, IndexError):
        return


def _memory_message(worker_memory: int) -> str:
    why = limits.show_size(worker_memory)
    if worker_memory != limits.parse_memory(0):
        why += f", {limits.PARSE_MEMORY_PER_BYTE} times the file size limit"
    return (f"parsing it takes more memory than a parse worker may use ({why}): not parsed (raise the limit "
            "with --max-file-size)")


def _chunks(sizes: list[int], workers: int) -> list[list[int]]:
    """Positions in chunks for the workers: a large file alone, so that a failure names it; small ones together."""
    per_chunk = max(1, len(sizes) // (workers * 4))
    chunks: list[list[int]] = []
    small: list[int] = []
    for position, size in enumerate(sizes):
        if size >= POOL_MIN_BYTES:
            chunks.append([position])
            continue
        small.append(position)
        if len(small) == per_chunk:
            chunks.append(small)
            small = []
    return chunks + ([small] if small else [])


def _parse_in_workers(batch: list[tuple[str, str]], workers: int, worker_memory: int) -> list[Outcome]:
    from concurrent.futures import ProcessPoolExecutor  # ~6 ms to import: only when it is used
    from concurrent.futures.process import BrokenProcessPool

    outcomes: list[Outcome] = [("error", None, _OUT_OF_MEMORY, None)] * len(batch)
    chunks = _chunks([len(text) for _, text in batch], workers)
    with ProcessPoolExecutor(max_workers=workers, initializer=_limit_memory, initargs=(worker_memory,)) as pool:
        futures = [pool.submit(_parse_chunk, [batch[i] for i in chunk]) for chunk in chunks]
        for chunk, future in zip(chunks, futures, strict=True):
            try:
                parsed = future.result()
            except (MemoryError, BrokenProcessPool):  # the result too large to send back, or a worker killed
                continue
            for position, outcome in zip(chunk, parsed, strict=True):
                outcomes[position] = outcome
    return outcomes


def parse_all(items: list[tuple[str, str]], use_cache: bool = True, workers: int | None = None,
              worker_memory: int | None = None) -> list[Outcome]:
    """Outcomes for (file name, text) pairs, in order. Large batches parse in workers whose memory may grow by
    `worker_memory` bytes (default: what the default file size limit allows)."""
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
    if missing and size >= POOL_MIN_BYTES:
        worker_memory = worker_memory or limits.parse_memory(limits.MAX_FILE_SIZE)
        parsed = _parse_in_workers([items[i] for i in missing], workers, worker_memory)
        parsed = [(status, syntax, _memory_message(worker_memory) if message == _OUT_OF_MEMORY else message, line)
                  for status, syntax, message, line in parsed]
    else:
        parsed = [parse_text(*items[i]) for i in missing]
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
