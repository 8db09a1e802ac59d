"""Everything a load learns from the filesystem, written down, so a later run can tell if it would learn the same.

The loader asks the filesystem through `Inputs` only: does this path exist, is it a file, what does it
resolve to, which Terraform files are below it, what bytes does it hold (and may it be read at all:
`_read`, the one rule for every file a scan opens). Each answer is kept as (question, path, the question's
other arguments, answer), file contents as a SHA-256 digest, paths as their text. Loading is a function of
these answers, the options and gateaudit's own code, so when asking every question again gives every same
answer, a new load would build the same stack: `reread()` is how the scan cache (`gateaudit.scan_cache`) decides
whether a whole earlier judgement still holds, and it hands back the bytes it read again, so the cache
need not keep any.
"""

from __future__ import annotations

import hashlib
import io
import os
import stat
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from . import discover


def _read(path: Path | str, limit: int, root: Path | None) -> bytes | str:
    """The file's bytes, at most limit + 1 of them, or why it is not read.

    The one rule for every file a scan opens. It must be a regular file: a named pipe would block, a device
    never end. A symbolic link is followed only to a regular file inside `root`, the repository root of the
    scanned path (`gateaudit.root`): a link the scanned tree holds must not make gateaudit read, and report,
    a file it was never given (a credentials file as `terraform.tfvars`). `root` None: the command line
    named this file (`--var-file`, a scanned file), which is trusted as to where it is. A file's folders
    need no check: discovery never descends a linked folder, and module folders are resolved and bounded
    by the root before their files are listed.
    """
    try:
        mode = os.lstat(path).st_mode
        if root is not None and stat.S_ISLNK(mode):
            target = discover.link_target(Path(path))
            if isinstance(target, str):
                return target
            if not target.is_relative_to(root):
                return discover.outside_root(target, root)
            mode = target.stat().st_mode
            if not stat.S_ISREG(mode):
                return f"symbolic link to {str(target)!r}, {_kind(mode)}, not a regular file: not followed"
            path = target
        else:
            if stat.S_ISLNK(mode):  # named on the command line: followed wherever it leads
                mode = os.stat(path).st_mode
            if not stat.S_ISREG(mode):
                return f"not a regular file ({_kind(mode)}): not read"
        # Opened again whatever was looked at: the file may have been swapped for a pipe meanwhile.
        found = read_regular(path, limit, follow_links=True)
        return "not a regular file: not read" if found is None else found[0]
    except OSError as error:
        return f"cannot read: {error.strerror or error}"


_NONBLOCK = getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
_CHUNK = 1 << 16  # what a read asks for once the file holds more than its size said


def read_regular(path: Path, limit: int | None = None,
                 follow_links: bool = False) -> tuple[bytes, os.stat_result] | None:
    """A regular file's bytes (at most `limit` + 1 of them: never more, even if it grows meanwhile) and its
    status; None for anything else. Opened without waiting (a named pipe would block, a device never end),
    and never through a symbolic link unless `follow_links`. Raises OSError when it cannot be opened or read."""
    handle = os.open(path, os.O_RDONLY | _NONBLOCK | (0 if follow_links else getattr(os, "O_NOFOLLOW", 0)))
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            return None
        # os.read, asking for what the file's size says is left and a byte more, to see it grew: a buffered
        # file's read(limit + 1) allocates the whole limit (10 MiB) first, which cost more than the rest of
        # reading a small file. Once all the size said is read, the file is read: bytes written since are a
        # later version's, as if it had been read a moment earlier.
        most = sys.maxsize if limit is None else limit + 1
        size = info.st_size
        chunks, count = [], 0
        while count < most:
            chunk = os.read(handle, min(most - count, size + 1 - count if count <= size else _CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            count += len(chunk)
            if count == size:
                break
        return b"".join(chunks), info
    finally:
        os.close(handle)


def _kind(mode: int) -> str:
    kinds = [(stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder")]
    return next((name for test, name in kinds if test(mode)), "not a file")


def _find(path: Path, root: Path, skip: tuple[str, ...]) -> tuple[list[Path], list[tuple[Path, str]],
                                                                   list[tuple[Path, str]]]:
    problems: list[tuple[Path, str]] = []
    skipped: list[tuple[Path, str]] = []
    return discover.find_config_files(path, root, skip, problems, skipped), problems, skipped


SKIPPED_CODE_FOLDERS = ("node_modules", "__pycache__", ".venv", "venv", ".git")
MAX_SOURCE_FILES = 500  # a function's source files looked at; a folder with more is too big to judge as code


def _source_files(directory: Path, suffixes: tuple[str, ...]) -> list[Path] | str:
    """A function's source files below `directory` (those ending in `suffixes`), sorted; hidden folders, installed
    dependencies and caches left out; links not followed. A str says why not (too many)."""
    found: list[Path] = []
    for folder, folders, files in os.walk(directory):
        folders[:] = sorted(f for f in folders if not f.startswith(".") and f not in SKIPPED_CODE_FOLDERS)
        found.extend(Path(folder) / name for name in sorted(files) if name.endswith(suffixes))
        if len(found) > MAX_SOURCE_FILES:
            return f"holds more than {MAX_SOURCE_FILES} source files"
    return found


class _Resolver:
    """`Path.resolve` for the paths one load asks about, which share their folders (every module call of a root
    names a path below the root's folder): each folder's real path is looked up once, not once for every path
    below it. Where a symbolic link is on the way, or the path is too deep to be worth it, `Path.resolve` answers."""

    def __init__(self) -> None:
        self._real: dict[str, str | None] = {}  # a path's first components as asked -> their real path; None: a link
        self._link: dict[str, bool] = {}  # a real folder's entry -> whether it is a symbolic link

    def __call__(self, path: Path) -> Path:
        real = self._real_path(os.fspath(path)) if _SLASHED else None
        return Path(real) if real is not None else path.resolve()

    def text(self, path: str) -> str:
        """`str(self(Path(path)))`, without making either path: how a warm scan asks again."""
        real = self._real_path(path) if _SLASHED else None
        return real if real is not None else str(Path(path).resolve())

    def _real_path(self, text: str) -> str | None:
        if text in self._real:
            return self._real[text]
        head, separator, name = text.rpartition("/")
        if separator and head in self._real:  # its folder's real path is known: one step
            real = self._real[head]
            return None if real is None else self._step(text, real, name)
        names = text.split("/")
        if len(names) > _MEMO_DEPTH:
            return None
        # As os.path.realpath walks: from the working folder (the kernel's answer, already real) or from "/".
        real: str | None = os.getcwd() if names[0] else "/"
        prefix = None
        for name in names:
            prefix = name if prefix is None else prefix + "/" + name
            real = self._real[prefix] if prefix in self._real else self._step(prefix, real, name)
            if real is None:
                return None
        return real

    def _step(self, prefix: str, real: str, name: str) -> str | None:
        """The real path of `prefix`: `name` in the folder whose real path is `real`. A link leads elsewhere (None:
        `Path.resolve` follows it), ".." is the real parent, anything else (there or not) is itself."""
        if name in ("", "."):
            found: str | None = real
        elif name == "..":
            found = os.path.dirname(real)
        else:
            joined = os.path.join(real, name)
            link = self._link.get(joined)
            if link is None:
                try:
                    link = stat.S_ISLNK(os.lstat(joined).st_mode)
                except OSError:
                    link = False
                self._link[joined] = link
            found = None if link else joined
        self._real[prefix] = found
        return found


_MEMO_DEPTH = 64  # components; a deeper path is resolved as it is, its prefixes not kept
_SLASHED = os.sep == "/" and not os.altsep  # paths of "/"-separated names, which `_Resolver` walks itself

_QUESTIONS = {
    "exists": Path.exists,
    "is_file": Path.is_file,
    "is_dir": Path.is_dir,
    "find": _find,
    "config_files_in": discover.config_files_in,
    "tfvars_files": discover.tfvars_files,
    "source_files": _source_files,
}


class Inputs:
    def __init__(self) -> None:
        self.answers: list[tuple[str, str, tuple, Any]] = []  # (question, path, its other arguments, answer)
        self.sha256: dict[str, str] = {}  # path -> SHA-256 of the whole file, for each file read in full
        self._asked: dict[tuple[str, str, tuple], Any] = {}
        self._questions = {**_QUESTIONS, "resolve": _Resolver()}  # Path.resolve's answers, a folder looked up once

    def __getstate__(self) -> dict:
        # What a load asked and learnt, as the scan cache keeps it; not how it asked.
        return {"answers": self.answers, "sha256": self.sha256}

    def __setstate__(self, state: dict) -> None:
        self.__init__()
        self.__dict__.update(state)

    def ask(self, question: str, path: Path, *extra: Any) -> Any:
        """The filesystem's answer, asked once per load: a module's folder is listed once however many roots call
        it, and a warm scan puts each question to the filesystem once. One load sees one answer, even if the
        filesystem changes meanwhile; the scan cache checks that answer."""
        key = (question, str(path), extra)
        if key in self._asked:
            return self._asked[key]
        answer = self._asked[key] = self._questions[question](path, *extra)
        self.answers.append((question, str(path), extra, _recorded(answer)))
        return answer

    def exists(self, path: Path) -> bool:
        return self.ask("exists", path)

    def is_file(self, path: Path) -> bool:
        return self.ask("is_file", path)

    def is_dir(self, path: Path) -> bool:
        return self.ask("is_dir", path)

    def resolve(self, path: Path) -> Path:
        return self.ask("resolve", path)

    def find(self, path: Path, root: Path, skip: tuple[str, ...]) -> tuple[list[Path], list[tuple[Path, str]],
                                                                         list[tuple[Path, str]]]:
        """The Terraform files below `path`, the problems met (path, why) and what was skipped (path, why)."""
        return self.ask("find", path, root, skip)

    def config_files_in(self, directory: Path, base: Path, skip: tuple[str, ...]) -> tuple[list[Path],
                                                                                          list[tuple[Path, str]]]:
        return self.ask("config_files_in", directory, base, skip)

    def tfvars_files(self, directory: Path) -> list[Path]:
        return self.ask("tfvars_files", directory)

    def source_files(self, directory: Path, suffixes: tuple[str, ...]) -> list[Path] | str:
        return self.ask("source_files", directory, suffixes)

    def read(self, path: Path, limit: int, root: Path | None) -> bytes | str:
        """The file's bytes or why not (`_read`: the rule for every file); `root` None for the command line's."""
        data = _read(path, limit, root)
        digest = _digest(data)
        self.answers.append(("read", str(path), (limit, root), digest))
        if isinstance(data, bytes) and len(data) <= limit:  # the whole file: its digest is evidence for reports
            self.sha256[str(path)] = digest
        return data

    def paths_by_digest(self) -> dict[str, str]:
        """The SHA-256 digest of each file read (as `read` returned it), and a path it was read from."""
        return {answer: shown for question, shown, _, answer in self.answers if question == "read"}

    def reread(self) -> dict[str, bytes] | None:
        """Every file's bytes read again, by path, when the filesystem answers every question as it did; else None."""
        files: dict[str, bytes] = {}
        resolver = _Resolver()
        try:
            for question, shown, extra, answer in self.answers:
                if question == "read":
                    data = _read(shown, *extra)
                    if _digest(data) != answer:
                        return None
                    if isinstance(data, bytes):
                        files[shown] = data
                elif question == "resolve":
                    if resolver.text(shown) != answer:
                        return None
                elif _recorded(_QUESTIONS[question](Path(shown), *extra)) != answer:
                    return None
        except Exception:  # a question that now fails (a symbolic link loop, say): not the same answers
            return None
        return files


def _recorded(answer: Any) -> Any:
    """An answer as it is kept and compared: each path as its text, which pickles, unpickles and compares many times
    faster (a monorepo's `find` answers with every file's path)."""
    if isinstance(answer, Path):
        return str(answer)
    if isinstance(answer, (list, tuple)):
        return tuple(_recorded(item) for item in answer)
    return answer


def archive_member(archive: bytes, name: str) -> str | None:
    """The text of the file `name` inside a zip archive's bytes, decoded as UTF-8; None where it cannot be read.

    For bytes a scan already read in full, every file of which it read within the size limit
    (`gateaudit.files`): what it gives is a function of those bytes."""
    import zipfile  # where a judgement is made or reused of code in a zip, not by every scan

    try:
        return zipfile.ZipFile(io.BytesIO(archive)).read(name).decode("utf-8")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError, ValueError, KeyError):
        return None  # UnicodeDecodeError is a ValueError


def _digest(data: bytes | str) -> str:
    if isinstance(data, str):
        return "error: " + data
    return hashlib.sha256(data).hexdigest()


class SourceChanged(KeyError):
    """A file's text was asked for again, and the file no longer holds the bytes the scan read."""


def _bytes_again(shown: str, path: str, limit: int, root: Path | None, sha256: str) -> bytes:
    """A file's bytes read again by the rule it was first read by (`_read`); SourceChanged unless they are the bytes
    the scan read."""
    data = _read(Path(path), limit, root)
    if isinstance(data, str) or _digest(data) != sha256:
        raise SourceChanged(shown)
    return data


class SourceTexts(Mapping[str, str]):
    """The text of each file a scan read, by file as shown: read again from the file when asked for, not kept.

    A scan of thousands of files would otherwise hold every file's text to its end, for the few files a report
    shows lines of. The file is read again by the rule it was first read by (`_read`), and must still hold the
    bytes the scan read (their SHA-256); otherwise asking raises SourceChanged (a KeyError: `get` gives its
    default), and a report says the file changed rather than showing lines the scan never judged.
    """

    def __init__(self) -> None:
        # shown -> (the path as read, the size limit, the root it was read within, SHA-256, strip a BOM)
        self._places: dict[str, tuple[str, int, Path | None, str, bool]] = {}
        # a file read from inside a zip archive, as shown -> (the archive's path as read, its size limit, root and
        # SHA-256, the file's name in it)
        self._members: dict[str, tuple[str, int, Path | None, str, str]] = {}

    def add(self, shown: str, path: Path, limit: int, root: Path | None, sha256: str, strip_bom: bool) -> None:
        self._places[shown] = (str(path), limit, root, sha256, strip_bom)

    def add_member(self, shown: str, archive: Path, limit: int, root: Path | None, sha256: str, name: str) -> None:
        """A file read from inside a zip archive (read as `Inputs.read` reads any file). Not among the texts this
        maps, as a report shows no lines of an archive's file; `member_text` reads it again."""
        self._members[shown] = (str(archive), limit, root, sha256, name)

    def update(self, other: SourceTexts) -> None:
        self._places.update(other._places)
        self._members.update(other._members)

    def path(self, shown: str) -> str:
        """The path the file was read from, as `Inputs.read` was given it (the key `Inputs.reread` gives)."""
        return self._places[shown][0]

    def member(self, shown: str) -> tuple[str, str] | None:
        """Where a file read from inside a zip archive is: the archive's path as read (the key `Inputs.reread` gives)
        and the file's name in it. None for any other file."""
        place = self._members.get(shown)
        return None if place is None else (place[0], place[4])

    def member_text(self, shown: str) -> str:
        """The text of a file read from inside a zip archive, read again from the archive, which must still hold the
        bytes the scan read (else SourceChanged)."""
        path, limit, root, sha256, name = self._members[shown]
        text = archive_member(_bytes_again(shown, path, limit, root, sha256), name)
        if text is None:
            raise SourceChanged(shown)
        return text

    def __getitem__(self, shown: str) -> str:
        path, limit, root, sha256, strip_bom = self._places[shown]
        data = _bytes_again(shown, path, limit, root, sha256)
        text = data.decode("utf-8")  # it decoded when it was read, and these are the same bytes
        return text.removeprefix("\ufeff") if strip_bom else text

    def __contains__(self, shown: object) -> bool:
        return shown in self._places

    def __iter__(self) -> Iterator[str]:
        return iter(self._places)

    def __len__(self) -> int:
        return len(self._places)
