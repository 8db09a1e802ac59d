"""Parse many files fast: a content-hash cache on disk, and a process pool for what is not cached.

Parsing is most of a scan's time (python-hcl2's grammar, run by `gateaudit.grammar`). An unchanged file is
read back from the cache instead of parsed again; the rest is spread over the machine's cores. The cache
keeps one signed entry per content hash in the cache folder (`gateaudit.cache`: where it is, whom it trusts).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
from dataclasses import dataclass

from . import grammar, limits
from .cache import Cache, open_cache, read_pickled, unpickle, write, write_pickled
from .expr import Literal
from .parse import ParseError, SyntaxFile, parse_hcl
from .parse_json import parse_json

Outcome = tuple[str, SyntaxFile | None, str | None, int | None]  # ("ok"|"error", syntax, message, line)
# A file this large parses in a worker of bounded memory, even alone and on one core, so that a file whose
# tree would take gigabytes fails alone, cleanly.
ISOLATE_BYTES = 256 * 1024
# Below this many bytes to parse, spreading files over the cores costs more than it saves (starting the
# workers, sending each tree back). bench/pool.py measures it: on this project's 2-core VM (2026-12-07, quiet) a
# pool of two breaks even at about 44 KB of Terraform and is a third faster from 90 KB on.
POOL_MIN_BYTES = 64 * 1024
_OUT_OF_MEMORY = "out of memory"  # a worker's outcome; parse_all says which limit it ran into


Notes = tuple[list[tuple[int, str]], list[tuple[int, int]], tuple[str, int] | None, tuple[str | None, ...]]


@dataclass(frozen=True)
class Kept:
    """A file that parsed, kept for later: its outcome pickled (a tree too deep to pickle: as it is), and what a
    loader records of it at once without unpickling it (gateaudit.loader `note`): its comments, its top-level
    blocks' lines, its first top-level argument (name, line) and each block's module `source` literal."""

    outcome: Outcome | bytes
    comments: list[tuple[int, str]]
    spans: list[tuple[int, int]]
    stray: tuple[str, int] | None
    sources: tuple[str | None, ...]


def notes(syntax: SyntaxFile) -> Notes:
    first = next(iter(syntax.attributes.values()), None)
    sources = []
    for block in syntax.blocks:
        source = block.attributes.get("source") if block.type == "module" else None
        value = source.expr.value if source is not None and isinstance(source.expr, Literal) else None
        sources.append(value if isinstance(value, str) else None)
    return (syntax.comments, [(b.line, b.end_line or b.line) for b in syntax.blocks],
            (first.name, first.line) if first is not None else None, tuple(sources))


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


def _parse_chunk(chunk: list[tuple[str, str, str | None]], cache: Cache | None,
                 keep: bool = False) -> list[tuple[str, bytes, Notes | None]]:
    """A worker's outcomes, each pickled once: written to the parse cache here under its entry's name (None: another
    file holds the same text and writes it), and sent back as they are, with their status (the parent need not
    unpickle a tree to learn that it parsed) and, to `keep` them, their notes."""
    payloads = []
    for name, text, entry in chunk:
        outcome = _parse_item((name, text))
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        writes = cache is not None and entry is not None
        noted = notes(outcome[1]) if outcome[0] == "ok" and (keep or writes) else None
        if writes and noted is not None:  # as `write` would write the entry, with the payload already pickled
            write_pickled(cache, entry, pickle.dumps(_entry(noted, payload), protocol=pickle.HIGHEST_PROTOCOL))
        payloads.append((outcome[0], payload, noted if keep else None))
    return payloads


def cores() -> int:
    """The cores this process may run on (a CI runner's `taskset`, a container's cpuset), not the machine's."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def _start_worker(parent: int, allowance: int) -> None:
    """A parse worker's initializer: it ends with the scan that started it, and its memory is bounded."""
    _end_with(parent)
    _limit_memory(allowance)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _end_with(parent: int) -> None:
    """Have the kernel kill this worker when `parent`, the scan, ends, however it ends (a CI step's timeout sends
    SIGKILL, which no cleanup outlives): else a worker goes on parsing for nobody, and an idle one waits for work
    forever, its siblings holding the queue open. Linux only; elsewhere a worker ends when it next asks for work."""
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes
        import signal

        if ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL) != 0:
            return
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the scan ended before the request was made: nothing will send the signal
        os._exit(1)


def _limit_memory(allowance: int) -> None:
    """Bound a parse worker's memory: its address space may grow by `allowance` bytes past what it starts
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
        if size >= ISOLATE_BYTES:
            chunks.append([position])
            continue
        small.append(position)
        if len(small) == per_chunk:
            chunks.append(small)
            small = []
    return chunks + ([small] if small else [])


def _parse_in_workers(batch: list[tuple[str, str, str]], workers: int, worker_memory: int,
                      cache: Cache | None, keep: bool) -> list[Outcome | bytes | Kept]:
    """Each file's outcome: its worker's pickled bytes when it parsed ("ok"; `keep`: with its notes, `Kept`),
    else the error outcome itself."""
    from concurrent.futures import ProcessPoolExecutor  # ~6 ms to import: only when it is used
    from concurrent.futures.process import BrokenProcessPool

    outcomes: list[Outcome | bytes | Kept] = [("error", None, _OUT_OF_MEMORY, None)] * len(batch)
    chunks = _chunks([len(text) for _, text, _ in batch], workers)
    with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                             initargs=(os.getpid(), worker_memory)) as pool:
        futures = [pool.submit(_parse_chunk, [batch[i] for i in chunk], cache, keep) for chunk in chunks]
        for chunk, future in zip(chunks, futures, strict=True):
            try:
                parsed = future.result()
            except (MemoryError, BrokenProcessPool):  # the result too large to send back, or a worker killed
                continue
            for position, (status, payload, noted) in zip(chunk, parsed, strict=True):
                # our own worker pickled it, just now; a tree stays pickled until the scan reads it
                if status != "ok":
                    outcomes[position] = pickle.loads(payload)
                else:
                    outcomes[position] = Kept(payload, *noted) if noted is not None else payload
    return outcomes


def parse_all(items: list[tuple[str, str]], use_cache: bool = True, workers: int | None = None,
              worker_memory: int | None = None) -> list[Outcome]:
    """Outcomes for (file name, text) pairs, in order. Large batches parse in workers whose memory may grow by
    `worker_memory` bytes (default: what the default file size limit allows)."""
    return [unpickled(o) for o in _parse_all(items, use_cache, workers, worker_memory, keep=False)]


def parse_all_kept(items: list[tuple[str, str]], use_cache: bool = True, workers: int | None = None,
                   worker_memory: int | None = None) -> list[Outcome | Kept]:
    """`parse_all`, each file that parsed `Kept`, its tree pickled: a tree so kept takes a few times less memory
    than the objects it unpickles to (gateaudit.loader keeps a monorepo's trees so, and unpickles a root's when it
    loads it). A file that did not parse is its error outcome."""
    return [o if isinstance(o, Kept) or o[0] != "ok" else Kept(_pickled(o), *notes(o[1]))
            for o in _parse_all(items, use_cache, workers, worker_memory, keep=True)]


def _pickled(outcome: Outcome) -> Outcome | bytes:
    try:
        return pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except RecursionError:  # a chain of 10,000 operators parsed here, in this process: kept as it is
        return outcome


def unpickled(outcome: Outcome | bytes | Kept) -> Outcome:
    if isinstance(outcome, Kept):
        outcome = outcome.outcome
    return pickle.loads(outcome) if isinstance(outcome, bytes) else outcome


def _parse_all(items: list[tuple[str, str]], use_cache: bool, workers: int | None,
               worker_memory: int | None, keep: bool) -> list[Outcome | bytes | Kept]:
    """The outcomes, those parsed by workers still as the bytes they sent (`keep`: with their notes)."""
    cache = open_cache() if use_cache else None
    outcomes: list[Outcome | bytes | Kept | None] = [None] * len(items)
    keys = [_key(name, text) for name, text in items]
    if cache is not None:
        for index, key in enumerate(keys):
            outcomes[index] = _load(cache, key, keep)
    missing = [index for index, outcome in enumerate(outcomes) if outcome is None]
    if missing:
        grammar.prepare(cache)  # before the workers fork, so none of them loads the grammar again
    workers = min(len(missing), workers or cores())
    spread = workers > 1 and sum(len(items[index][1]) for index in missing) >= POOL_MIN_BYTES
    pooled = [i for i in missing if spread or len(items[i][1]) >= ISOLATE_BYTES]
    # The entry of text several files hold is written once: writing it again, over itself, cost more than the
    # first write (a third of a one-core scan of 1,000 files, 890 of them copies of others).
    unwritten = {keys[index] for index in missing} if cache is not None else set()

    def first(index: int) -> bool:
        """Whether the file at `index` is the first to hold its text: it writes the entry."""
        found = keys[index] in unwritten
        unwritten.discard(keys[index])
        return found

    if pooled:
        worker_memory = worker_memory or limits.parse_memory(limits.MAX_FILE_SIZE)
        batch = [(*items[i], _entry_name(keys[i]) if first(i) else None) for i in pooled]
        parsed = _parse_in_workers(batch, min(workers, len(pooled)), worker_memory, cache, keep)
        for index, outcome in zip(pooled, parsed, strict=True):
            if isinstance(outcome, tuple) and outcome[2] == _OUT_OF_MEMORY:
                outcome = (outcome[0], outcome[1], _memory_message(worker_memory), outcome[3])
            outcomes[index] = outcome  # the worker kept it in the cache
    for index in missing:
        if outcomes[index] is None:
            outcomes[index] = outcome = parse_text(*items[index])
            written = first(index)
            payload = _pickled(outcome) if outcome[0] == "ok" and (keep or written) else None
            if isinstance(payload, bytes):  # pickled once, as a worker does: kept, and written to the cache
                noted = notes(outcome[1])
                if keep:
                    outcomes[index] = Kept(payload, *noted)
                if written:
                    write(cache, _entry_name(keys[index]), _entry(noted, payload))
    return [outcome for outcome in outcomes if outcome is not None]


def _key(name: str, text: str) -> str:
    kind = "json" if name.endswith(".json") else "hcl"
    return hashlib.sha256(kind.encode() + b"\0" + text.encode("utf-8", "surrogatepass")).hexdigest()


def _entry_name(key: str) -> str:
    return f"{key[:2]}/{key}"


def _entry(noted: Notes, payload: bytes) -> tuple[Notes, bytes]:
    """A parse cache entry: a parsed file's outcome, pickled, beside its notes, which a scan that finds the entry
    reads without unpickling the tree (it unpickles that once, when it loads the file's root)."""
    return noted, payload


def _load(cache: Cache, key: str, keep: bool) -> Outcome | Kept | None:
    """The cached outcome of a file; `keep`: `Kept`, its outcome left pickled as the entry holds it."""
    payload = read_pickled(cache, _entry_name(key))
    entry = unpickle(payload) if payload is not None else None
    if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[1], bytes)
            and isinstance(entry[0], tuple) and len(entry[0]) == 4):
        return None
    if keep:
        return Kept(entry[1], *entry[0])
    outcome = unpickle(entry[1])
    if not (isinstance(outcome, tuple) and len(outcome) == 4 and isinstance(outcome[1], SyntaxFile)):
        return None
    return outcome
