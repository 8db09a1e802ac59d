"""Reuse a whole judgement when nothing it depended on has changed: a warm re-scan of an unchanged tree.

The parse cache (`gateaudit.parse_many`) saves the parsing; building the model and running the rules still
cost several times the rest of a warm run. So a scan also keeps its judgement (`result.Judgement`: the
rules' results and errors, before any suppression, date or baseline is applied) under a key naming everything
the judgement is a function of besides the files:
- gateaudit's own code and data (each file's content), and python-hcl2's grammar and lark's version (by the
  cache folder's name);
- the rules that run, the code in every `--rules-dir` (each file's content), and the settings the config
  gives them (`gateaudit.settings.Settings`: rule options, the API-key header);
- the paths and variable files as given, the working folder, the repository root of each path (what a
  symbolic link may reach), the `--skip-path` patterns, and the limits;
and with it what loading asked the filesystem (`gateaudit.inputs`). A later scan with the same key asks
every question again, and reads and hashes every file again; only when every answer is the same is the
judgement reused. Anything else, even one byte, and the scan judges afresh.

An entry holds no text of the scanned files: a judgement keeps the files' text (for the source lines reports
show), their comments (for inline suppressions) and the literals secret findings are about (to mask them),
and the entry keeps instead where each is, in files it hashed (a comment in the code of a zip archive: the archive
and the file's name in it). A reuse reads every file again anyway, and
takes them from there. A judgement whose text cannot all be found that way is not kept, nor one whose entry
would still hold a flagged literal (a message quoting it). Only the most recently used KEEP entries are
kept: enough for the trees and branches one person or runner scans, few enough that the folder does not
grow with every commit.

The key names the rules by id and origin, and reports show each rule's metadata: both are read from the
built-in rules' catalogue (`rule_catalogue`), kept beside the judgements under the digest of gateaudit's own
code, so a scan that reuses a judgement imports no rule module and none of the model the rules import.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import limits
from .cache import Cache, read, write
from .inputs import Inputs, SourceChanged, SourceTexts, archive_member
from .result import Judgement
from .settings import Settings

if TYPE_CHECKING:
    from gateaudit.rules import ListedRule

KEEP = 32


def key(paths: list[Path], display_paths: list[str], var_files: list[Path], rules: list,
        rules_dirs: list[Path], settings: Settings, max_file_size: int, roots: list[Path],
        skip_paths: tuple[str, ...], max_scan_size: int = limits.MAX_SCAN_SIZE, config_dir: Path | None = None) -> str:
    """The name of the judgement of these inputs."""
    digest = hashlib.sha256()

    def add(label: str, value: object) -> None:
        digest.update(f"{label}\0{value}\0".encode("utf-8", "surrogatepass"))

    add("own code", own_code())
    for folder in rules_dirs:
        _add_code(digest, folder)
    add("rules", [(loaded.rule.id, loaded.origin) for loaded in rules])
    add("settings", settings.key())
    add("cwd", os.getcwd())
    add("paths", [(str(p), os.path.abspath(p)) for p in paths])
    add("display", list(display_paths))
    add("config_dir", os.path.abspath(config_dir) if config_dir is not None else None)
    add("var_files", [(str(p), os.path.abspath(p)) for p in var_files])
    add("roots", [str(root) for root in roots])
    add("skip", list(skip_paths))
    constants = sorted((name, value) for name, value in vars(limits).items() if name.isupper())
    add("limits", (max_file_size, max_scan_size, constants))
    return digest.hexdigest()


def _add_code(digest: Any, folder: Path) -> None:
    digest.update(f"code\0{folder.resolve()}\0".encode("utf-8", "surrogatepass"))
    for path in sorted(folder.rglob("*")):
        if path.suffix in (".py", ".json") and "__pycache__" not in path.parts and path.is_file():
            # The content, not the size and time: a file rewritten with both kept is other code.
            content = path.read_bytes()
            digest.update(f"{path.relative_to(folder)}\0{len(content)}\0".encode("utf-8", "surrogatepass"))
            digest.update(content)


@functools.cache
def own_code() -> str:
    """A digest of gateaudit's own code and data (each file's content) and of the Python running it: once a process,
    which runs the code it imported however the files change meanwhile."""
    import gateaudit
    import gateaudit.rules

    digest = hashlib.sha256(f"python\0{sys.version}\0".encode())
    for folder in (Path(gateaudit.__file__).parent, Path(gateaudit.rules.__file__).parent):
        _add_code(digest, folder)
    return digest.hexdigest()


CATALOGUES_KEPT = 4  # the most recently used; catalogues of other code (an upgrade, another branch) go


def rule_catalogue(cache: Cache) -> list[ListedRule]:
    """The built-in rules as `ListedRule`s, kept in the cache folder under the digest of gateaudit's code: a scan that
    reuses a judgement reads them there, and imports no rule module."""
    from gateaudit.rules import ListedRule, load_rules

    name = f"rules/{own_code()}"
    kept = read(cache, name)
    if isinstance(kept, list) and all(isinstance(listed, ListedRule) for listed in kept):
        _used(cache.folder / name)
        return kept
    listed = [ListedRule(loaded.rule, loaded.origin, loaded.help) for loaded in load_rules([])]
    write(cache, name, listed)
    _prune(cache.folder / "rules", CATALOGUES_KEPT)
    return listed


@dataclass(frozen=True)
class _Entry:
    inputs: Inputs
    judgement: Judgement  # with no sources, comments or secrets: they are read again from the files
    source_reads: dict[str, str]  # file as shown -> the path, among those read, that holds its bytes
    # a file inside a zip archive with comments, as shown -> (the archive's path among those read, the file's name)
    member_reads: dict[str, tuple[str, str]]
    comments: dict[str, list[tuple[int, int, int]]]  # file as shown -> (line, offset, length) of each comment
    secrets: tuple[tuple[str, int, int], ...]  # (file as shown, offset, length): a place each literal is written


def load(cache: Cache, name: str) -> Judgement | None:
    """The judgement kept under `name`, if the filesystem still answers as it did when it was made."""
    entry = read(cache, f"scans/{name}")
    if not isinstance(entry, _Entry):
        return None
    files = entry.inputs.reread()
    if files is None:
        return None
    judgement = _with_text(entry, files)
    if judgement is None:
        return None
    _used(cache.folder / "scans" / name)
    return judgement


def save(cache: Cache, name: str, inputs: Inputs, judgement: Judgement) -> None:
    entry = _without_text(inputs, judgement)
    if entry is None:
        return
    write(cache, f"scans/{name}", entry, must_not_hold=judgement.secrets)
    _prune(cache.folder / "scans")


_BOM = "\ufeff".encode()


def _without_text(inputs: Inputs, judgement: Judgement) -> _Entry | None:
    """The entry for a judgement: its text replaced by where that text is. None if some of it cannot be found."""
    sources = judgement.sources
    if isinstance(sources, SourceTexts):  # where each file was read from is known: no text is read to find it
        source_reads = {shown: sources.path(shown) for shown in sources}
    else:
        read_from = inputs.paths_by_digest()
        source_reads = {}
        for shown, text in sources.items():
            data = text.encode("utf-8", "surrogatepass")
            path = (read_from.get(hashlib.sha256(data).hexdigest())
                    or read_from.get(hashlib.sha256(_BOM + data).hexdigest()))
            if path is None:
                return None
            source_reads[shown] = path
    comments = {}
    member_reads = {}
    for shown, found in judgement.comments.items():
        if not found:  # most files: their text need not be read again
            comments[shown] = []
            continue
        member = sources.member(shown) if isinstance(sources, SourceTexts) else None
        if member is not None:  # the authorizer's code, deployed as a zip: its comments are taken from the zip again
            member_reads[shown] = member
            try:
                text = sources.member_text(shown)
            except SourceChanged:
                return None
        else:
            text = sources.get(shown, "")
        lines = text.split("\n")  # as the parser counts lines
        starts = [0]  # the offset where each line begins
        for source_line in lines:
            starts.append(starts[-1] + len(source_line) + 1)
        places = []
        for line, text in found:
            column = lines[line - 1].find(text) if 0 < line <= len(lines) else -1
            if column < 0:
                return None
            places.append((line, starts[line - 1] + column, len(text)))
        comments[shown] = places
    # A literal written with an escape, or a value built from parts, is nowhere in the files as it is: with no
    # place to stand for it, the judgement is not kept rather than reused with less to mask.
    first: dict[str, tuple[str, int]] = {}  # secret -> the first file (in order) that holds it, and where
    for shown in sources if judgement.secrets else ():
        text = sources.get(shown, "")  # each file read once, whatever the number of secrets
        first.update((secret, (shown, text.find(secret))) for secret in judgement.secrets
                     if secret not in first and secret in text)
        if len(first) == len(judgement.secrets):
            break
    if len(first) < len(judgement.secrets):
        return None
    secrets = [(*first[secret], len(secret)) for secret in sorted(judgement.secrets)]
    bare = dataclasses.replace(judgement, sources={}, comments={}, secrets=set())
    return _Entry(inputs, bare, source_reads, member_reads, comments, tuple(secrets))


def _with_text(entry: _Entry, files: dict[str, bytes]) -> Judgement | None:
    """The judgement again, its text taken from the files as just read (the very bytes hashed when it was kept)."""
    try:
        sources = {shown: files[path].decode("utf-8").removeprefix("\ufeff")
                   for shown, path in entry.source_reads.items()}
        members = {shown: archive_member(files[path], name) for shown, (path, name) in entry.member_reads.items()}
        if None in members.values():
            return None
        texts = {**sources, **members}
        comments = {shown: [(line, texts[shown][offset:offset + length]) for line, offset, length in places]
                    for shown, places in entry.comments.items()}
        secrets = {sources[shown][offset:offset + length] for shown, offset, length in entry.secrets}
    except (KeyError, UnicodeDecodeError):  # not as it was when kept: judge afresh
        return None
    return dataclasses.replace(entry.judgement, sources=sources, comments=comments, secrets=secrets)


def _used(entry: Path) -> None:
    """Mark an entry as just used: `_prune` removes the least recently used."""
    with contextlib.suppress(OSError):
        os.utime(entry)


def _prune(folder: Path, keep: int | None = None) -> None:
    """Remove all but the `keep` (default KEEP) most recently used entries of the folder."""
    keep = KEEP if keep is None else keep
    try:
        entries = sorted(((entry.stat().st_mtime_ns, entry) for entry in folder.iterdir()
                          if not entry.name.startswith(".")), reverse=True)
        for _, entry in entries[keep:]:
            entry.unlink(missing_ok=True)
    except OSError:  # another run pruned meanwhile, or the folder went away: the cache only speeds things up
        return
