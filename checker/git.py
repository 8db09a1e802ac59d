"""The commit a scan judged, and whether the work tree differed from it: evidence for the reports.

git is run the way a scanned repository cannot bend. The program is the `git` of PATH's absolute folders outside
the scanned repositories (a relative entry is the current folder; CI puts folders of the checkout on PATH, such as
`node_modules/.bin`), and the repository's own config (`.git/config`, its includes, `config.worktree`: the tree's
side, written by whoever made the folder) runs nothing: `core.fsmonitor` is switched off, and so are the filter
drivers it defines, which `git status` would run on every file it hashes. The machine's config (system, global)
and the environment are trusted, as for every other part of a scan; git's own refusal of a repository owned by
someone else (`safe.directory`) stands, and the report then records no commit.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .root import program_on_path

TIMEOUT = 10  # seconds per git command: past it, the report says git could not tell
_TRUSTED_SCOPES = ("system", "global", "command")  # the machine's and the caller's; "local", "worktree": the tree's
# What a repository may not have git run for gateaudit: `-c` wins over every config file.
_SAFE = ("-c", "core.fsmonitor=")
# No index refresh written back (which would run a post-index-change hook), no prompt for anything.
_ENVIRONMENT = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0"}


@dataclass(frozen=True)
class WorkTree:
    commit: str
    branch: str | None  # None: a detached HEAD
    top: Path
    modified: bool | None  # None: git could not tell


def work_tree(directory: Path, scanned: Iterable[Path]) -> WorkTree | None:
    """The git work tree holding `directory`, with its commit and whether anything in it differs from that commit.

    Modified means anywhere in the work tree, untracked files too (what `git status` shows, as `go build` decides
    vcs.modified): the config at the root, variable files and modules outside the scanned folder, and the baseline
    decide the verdict as much as the scanned files do. `scanned` are the scanned paths: no `git` is taken from
    inside them or their repositories.
    """
    program = program_on_path("git", scanned)
    if program is None:
        return None
    head = _run(program, directory, "rev-parse", "HEAD", "--abbrev-ref", "HEAD", "--show-toplevel")
    lines = head.split("\n") if head is not None else []
    if len(lines) < 3:
        return None
    top = Path(lines[2]).resolve()
    modified = None
    switches = _filters_off(program, top)
    if switches is not None:
        status = _run(program, top, *switches, "status", "--porcelain", "-z", "--untracked-files=normal",
                      "--ignore-submodules=all")
        modified = None if status is None else status != ""
    return WorkTree(commit=lines[0], branch=lines[1] if lines[1] != "HEAD" else None, top=top, modified=modified)


def _filters_off(program: str, top: Path) -> list[str] | None:
    """`-c` switches that turn off every filter driver the repository's own config defines; None when it defines
    one that `-c` cannot name (a `=` in its name): then git is not asked at all."""
    listed = _run(program, top, "config", "--list", "--show-scope", "--name-only", "-z")
    if listed is None:
        return None
    fields = listed.split("\0")
    switches: list[str] = []
    for scope, key in zip(fields[::2], fields[1::2], strict=False):
        if scope in _TRUSTED_SCOPES or not key.startswith("filter.") or key.count(".") < 2:
            continue
        name = key[len("filter."):key.rindex(".")]
        if "=" in name:
            return None
        for variable, value in (("clean", ""), ("smudge", ""), ("process", ""), ("required", "false")):
            switches += ["-c", f"filter.{name}.{variable}={value}"]
    return switches


def _run(program: str, directory: Path, *args: str) -> str | None:
    try:
        done = subprocess.run([program, *_SAFE, "-C", str(directory), *args], capture_output=True,
                              encoding="utf-8", errors="surrogateescape", timeout=TIMEOUT, check=False,
                              env={**os.environ, **_ENVIRONMENT})
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
