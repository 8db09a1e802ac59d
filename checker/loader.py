"""Reading a scan's files: the loader every source reads through, and what `terraform init` recorded.

`Loader` reads each file once, within the repository root and the size limits, and parses it (from the parse
cache, or in a pool ahead of time); every source (HCL folders in gateaudit.modules, a plan's configuration in
gateaudit.plan_config) reads through it, so the scan cache and the report's evidence see every file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import limits
from .inputs import Inputs, SourceTexts
from .model import Stack
from .parse import SyntaxBlock, SyntaxFile
from .parse_many import Kept, Outcome, notes, parse_all, parse_all_kept, parse_text, unpickled
from .result import ScanError

PARSE_BATCH_BYTES = 4 * 1024 * 1024  # characters of text parsed together, in a pool of their own
_RELEASED = "\0released"  # the text of a file read and parsed: no longer kept (a text never holds a NUL)


@dataclass
class Loader:
    var_files: list[Path] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    stack: Stack = field(default_factory=Stack)
    parsed: dict[Path, SyntaxFile | None] = field(default_factory=dict)
    base: Path = Path(".")  # the scanned path files are shown relative to
    prefix: str = ""  # prepended to shown paths when several paths are scanned
    use_cache: bool = True
    texts: dict[Path, str | None] = field(default_factory=dict)
    # Parsed ahead (in parallel or from the cache), kept pickled: a few times smaller than the trees. `parse`
    # unpickles a file's; after `forget`, it unpickles it again (a root's files, judged one root at a time).
    outcomes: dict[Path, Kept | Outcome] = field(default_factory=dict)
    forgotten: set[Path] = field(default_factory=set)  # parsed once (errors and comments recorded), tree let go
    keep_outcomes: bool = False  # keep the pickled outcomes after parsing, so `forget` can let trees go
    merge_reported: set[tuple] = field(default_factory=set)  # `merged` keys whose override errors were recorded
    each_root: Callable[[Stack], None] | None = None  # judges each root as loaded (gateaudit.modules._load_root)
    roots_read: dict[Path, int] = field(default_factory=dict)  # how many roots read a file: shared ones stay parsed
    inputs: Inputs = field(default_factory=Inputs)  # every question put to the filesystem, and its answer
    digests: dict[str, str] = field(default_factory=dict)  # shown path -> SHA-256 of every file read in full
    max_file_size: int = limits.MAX_FILE_SIZE
    merged: dict[tuple, list[tuple[str, SyntaxBlock]]] = field(default_factory=dict)  # a folder's blocks, merged
    root: Path = Path("/")  # the repository root of the path being scanned (gateaudit.root): what links may reach
    trusted: set[Path] = field(default_factory=set)  # files the command line named: read wherever they are
    skip: tuple[str, ...] = ()  # --skip-path patterns, relative to the scanned folder (discover.skip_reason)
    max_scan_size: int = limits.MAX_SCAN_SIZE  # bytes of every file read, added up
    bytes_read: int = 0
    config_dir: Path | None = None  # --config-dir: where a scanned plan's configuration is, when not beside it
    # a root module's folder -> what its .terraform/modules/modules.json records: key -> (source, dir, version)
    manifests: dict[Path, dict[str, tuple[str, str, str | None]] | str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.stack.sources = SourceTexts()

    def show(self, path: Path) -> str:
        relative = os.path.relpath(path, self.base)
        return (self.prefix + relative).replace(os.sep, "/")

    def read(self, path: Path) -> str | None:
        if path in self.texts:
            text = self.texts[path]
            return self.stack.sources[self.show(path)] if text is _RELEASED else text
        self.texts[path] = text = self._read(path)
        return text

    def _read(self, path: Path) -> str | None:
        shown = self.show(path)
        limit = self.max_file_size
        root = None if Path(os.path.abspath(path)) in self.trusted else self.root
        data = self.inputs.read(path, limit, root)
        if isinstance(data, str):
            self.errors.append(ScanError(shown, None, data))
            return None
        if len(data) > limit:
            self.errors.append(ScanError(shown, None, f"larger than the file size limit of {limits.show_size(limit)}: "
                                                      "not read (raise the limit with --max-file-size)"))
            return None
        if self.bytes_read > self.max_scan_size:  # the limit is behind us: one error said so, naming the first
            return None
        self.count_read(len(data))
        if self.bytes_read > self.max_scan_size:
            self.errors.append(ScanError(shown, None, "the files read add up to more than the scan size limit of "
                                                      f"{limits.show_size(self.max_scan_size)}: not read, nor any "
                                                      "file after it (raise the limit with --max-scan-size)"))
            return None
        self.digests[shown] = self.inputs.sha256[str(path)]
        if b"\0" in data:
            line = data.count(b"\n", 0, data.index(b"\0")) + 1
            self.errors.append(ScanError(shown, line, "binary content (a NUL byte): not a Terraform file"))
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data.count(b"\n", 0, error.start) + 1
            self.errors.append(ScanError(shown, line, f"not valid UTF-8 (byte 0x{data[error.start]:02x})"))
            return None
        # Not kept: a report reads the lines it shows again, from the same bytes (SourceTexts)
        self.stack.sources.add(shown, path, limit, root, self.digests[shown], strip_bom=True)
        return text.removeprefix("\ufeff")

    def count_read(self, size: int) -> None:
        """Count `size` more bytes of files read, against the scan size limit; the scan's budgets grow with them."""
        self.bytes_read += size
        self.stack.budget.read(self.bytes_read)

    def parse(self, path: Path) -> SyntaxFile | None:
        path = Path(os.path.abspath(path))
        if path in self.parsed:
            return self.parsed[path]
        if path in self.forgotten:  # recorded when first parsed: only the tree is wanted again
            outcome = self.outcomes.get(path)
            if outcome is None:  # dropped: parsed again, which no scan of one folder does (`drop`)
                text = self.read(path)
                outcome = parse_text(path.name, text) if text is not None else ("error", None, None, None)
            self.parsed[path] = syntax = unpickled(outcome)[1]
            return syntax
        text = self.read(path)
        syntax = None
        if text is not None:
            payload = self.outcomes.get(path) if self.keep_outcomes else self.outcomes.pop(path, None)
            status, syntax, message, line = unpickled(payload) if payload else parse_text(path.name, text)
            if status == "error":
                self.errors.append(ScanError(self.show(path), line, message))
            else:
                comments, spans, stray, _ = notes(syntax)
                self._record(path, stray, comments, spans)
        self.parsed[path] = syntax
        if text is not None:  # parsed: no one reads it again (`parsed` answers), so its text need not be kept
            self.texts[path] = _RELEASED
        return syntax

    def note(self, path: Path) -> tuple[str | None, ...] | None:
        """Record a file parsed ahead and kept (`keep_outcomes`) as `parse` does, from its notes, its tree left
        pickled (forgotten, as if parsed and let go of): its blocks' module `source` literals. None when it was
        not kept so (it did not parse, or was not parsed ahead): `parse` it."""
        path = Path(os.path.abspath(path))
        kept = self.outcomes.get(path)
        if not isinstance(kept, Kept) or path in self.parsed or path in self.forgotten:
            return None
        self._record(path, kept.stray, kept.comments, kept.spans)
        self.texts[path] = _RELEASED  # read by parse_ahead: no one reads it again
        self.forgotten.add(path)
        return kept.sources

    def _record(self, path: Path, stray: tuple[str, int] | None, comments: list[tuple[int, str]],
                spans: list[tuple[int, int]]) -> None:
        """What parsing a file tells the report: an argument outside any block, its comments, its blocks' lines."""
        shown = self.show(path)
        if not path.name.endswith(".tfvars") and stray is not None and not path.name.endswith(".json"):
            self.errors.append(ScanError(shown, stray[1], f'unexpected argument "{stray[0]}" outside any block'))
        self.stack.files.append(shown)
        self.stack.comments[shown] = comments
        self.stack.spans[shown] = spans

    def forget(self, paths: set[Path]) -> None:
        """Let go of the trees of these files (and of the folders' blocks merged from them), those `parse` can
        unpickle again; what parsing them recorded (files, comments, errors) stays."""
        for path in paths:
            if self.parsed.get(path) is not None and path in self.outcomes:
                del self.parsed[path]
                self.forgotten.add(path)
        for key in [key for key in self.merged if any(Path(os.path.abspath(f)) in self.forgotten for f in key[2])]:
            del self.merged[key]

    def drop(self, paths: set[Path]) -> None:
        """Let go of the pickled trees of forgotten files no root will read again (a root's own files)."""
        for path in paths & self.forgotten:
            self.outcomes.pop(path, None)

    def parse_ahead(self, paths: list[Path]) -> None:
        """Parse many files at once (cache, then a process pool); `parse` then takes the outcomes.

        In batches of PARSE_BATCH_BYTES of text: a batch's texts are read when it is parsed, and its workers end
        with it, so neither the texts of a whole monorepo nor workers grown over all of it are held at once."""
        todo = [a for a in (Path(os.path.abspath(p)) for p in paths) if a not in self.parsed and a not in self.outcomes
                and a not in self.forgotten]
        batch: list[tuple[Path, str]] = []
        size = 0
        for path in todo:
            text = self.read(path)
            if text is None:
                continue
            batch.append((path, text))
            size += len(text)
            if size >= PARSE_BATCH_BYTES:
                self._parse_batch(batch)
                batch, size = [], 0
        if batch:
            self._parse_batch(batch)

    def _parse_batch(self, items: list[tuple[Path, str]]) -> None:
        # Kept pickled only when trees are let go of and read again (`keep_outcomes`); else each is read once.
        parse = parse_all_kept if self.keep_outcomes else parse_all
        outcomes = parse([(p.name, text) for p, text in items], use_cache=self.use_cache,
                         worker_memory=limits.parse_memory(self.max_file_size))
        self.outcomes.update((p, outcome) for (p, _), outcome in zip(items, outcomes, strict=True))


def is_local_source(source: str) -> bool:
    """A folder on this machine, as Terraform reads it: `./x`, `../x`, or an absolute path (never downloaded)."""
    return source.startswith(("./", "../")) or os.path.isabs(source)


MODULES_JSON = Path(".terraform") / "modules" / "modules.json"

def recorded_modules(loader: Loader, directory: Path) -> dict[str, tuple[str, str, str | None]] | str | None:
    """The calls `terraform init` recorded for the root module in `directory` (None when it never ran), or why
    its record cannot be used."""
    if directory in loader.manifests:
        return loader.manifests[directory]
    path = directory / MODULES_JSON
    shown = loader.show(path)
    found: dict[str, tuple[str, str, str | None]] | str | None = None
    if loader.inputs.exists(path) or os.path.islink(path):
        data = loader.inputs.read(path, loader.max_file_size, loader.root)
        again = "run `terraform init` again"
        if isinstance(data, str):
            found = f"{shown} is not read ({data}): {again}"
        elif len(data) > loader.max_file_size:
            found = f"{shown} is larger than the file size limit of {limits.show_size(loader.max_file_size)}: {again}"
        else:
            found = _manifest_entries(data, shown, again)
    loader.manifests[directory] = found
    return found


def _manifest_entries(data: bytes, shown: str, again: str) -> dict[str, tuple[str, str, str | None]] | str:
    try:
        document = json.loads(data.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return f"{shown} is not valid JSON: {again}"
    modules = document.get("Modules") if isinstance(document, dict) else None
    if not isinstance(modules, list):
        return f'{shown} holds no "Modules" list: {again}'
    entries = {}
    for entry in modules:
        if (isinstance(entry, dict) and isinstance(entry.get("Key"), str) and entry["Key"]
                and isinstance(entry.get("Source"), str) and isinstance(entry.get("Dir"), str)):
            version = entry.get("Version")
            entries[entry["Key"]] = (entry["Source"], entry["Dir"], version if isinstance(version, str) else None)
    return entries


