"""Everything a load learns from the filesystem, written down, so a later run can tell if it would learn the same.

The loader asks the filesystem through `Inputs` only: does this path exist, is it a file, what does it
resolve to, which Terraform files are below it, what bytes does it hold. Each answer is kept as
(question, path, answer), file contents as a SHA-256 digest. Loading is a function of these answers, the
options and gateaudit's own code, so when asking every question again gives every same answer, a new
load would build the same stack: `reread()` is how the scan cache (`checker.scan_cache`) decides
whether a whole earlier judgement still holds, and it hands back the bytes it read again, so the cache
need not keep any.
"""

from __future__ import annotations

import hashlib
import stat
from pathlib import Path
from typing import Any

from . import discover


def _read(path: Path, limit: int) -> bytes | str:
    """The file's bytes, at most limit + 1 of them, or why it cannot be read."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):  # a named pipe or a device would block or never end
            return "not a regular file: not read"
        with path.open("rb") as handle:
            return handle.read(limit + 1)  # never more than the limit, even if the file grows meanwhile
    except OSError as error:
        return f"cannot read: {error.strerror or error}"


def _find(path: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    problems: list[tuple[Path, str]] = []
    return discover.find_config_files(path, problems), problems


_QUESTIONS = {
    "exists": Path.exists,
    "is_file": Path.is_file,
    "is_dir": Path.is_dir,
    "resolve": Path.resolve,
    "find": _find,
    "config_files_in": discover.config_files_in,
    "tfvars_files": discover.tfvars_files,
}


class Inputs:
    def __init__(self) -> None:
        self.answers: list[tuple[str, str, Any]] = []

    def ask(self, question: str, path: Path, *extra: Any) -> Any:
        answer = _QUESTIONS[question](path, *extra)
        self.answers.append((question, str(path), answer))
        return answer

    def exists(self, path: Path) -> bool:
        return self.ask("exists", path)

    def is_file(self, path: Path) -> bool:
        return self.ask("is_file", path)

    def is_dir(self, path: Path) -> bool:
        return self.ask("is_dir", path)

    def resolve(self, path: Path) -> Path:
        return self.ask("resolve", path)

    def find(self, path: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
        return self.ask("find", path)

    def config_files_in(self, directory: Path) -> list[Path]:
        return self.ask("config_files_in", directory)

    def tfvars_files(self, directory: Path) -> list[Path]:
        return self.ask("tfvars_files", directory)

    def read(self, path: Path, limit: int) -> bytes | str:
        data = _read(path, limit)
        self.answers.append(("read", str(path), (limit, _digest(data))))
        return data

    def paths_by_digest(self) -> dict[str, str]:
        """The SHA-256 digest of each file read (as `read` returned it), and a path it was read from."""
        return {answer[1]: shown for question, shown, answer in self.answers if question == "read"}

    def reread(self) -> dict[str, bytes] | None:
        """Every file's bytes read again, by path, when the filesystem answers every question as it did; else None."""
        files: dict[str, bytes] = {}
        try:
            for question, shown, answer in self.answers:
                path = Path(shown)
                if question == "read":
                    limit, digest = answer
                    data = _read(path, limit)
                    if _digest(data) != digest:
                        return None
                    if isinstance(data, bytes):
                        files[shown] = data
                elif _QUESTIONS[question](path) != answer:
                    return None
        except Exception:  # a question that now fails (a symbolic link loop, say): not the same answers
            return None
        return files


def _digest(data: bytes | str) -> str:
    if isinstance(data, str):
        return "error: " + data
    return hashlib.sha256(data).hexdigest()
