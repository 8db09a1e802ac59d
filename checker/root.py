"""The repository root: the line between what gateaudit trusts and what it judges.

In CI the scanned tree is the pull request's checkout, written by the person whose change is judged. What
is trusted: the command line, the environment, and the config at the repository root and above. What is
not: everything under the scanned paths. The repository root is the folder holding `.git` at or above the
current folder, else the current folder: the scanned tree cannot move it (git refuses to check out a path
named `.git`, and the current folder is CI's choice). Every file gateaudit opens through a symbolic link,
and every module folder it loads, must lie inside the root of the path being scanned.

A path outside the repository root (`gateaudit scan /elsewhere/infra` run from another folder) has a root
of its own: the folder holding `.git` at or above it, else the scanned folder itself.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path


def repository_root(cwd: Path | None = None) -> Path:
    """The folder holding `.git` at or above `cwd` (default: the current folder), else `cwd` itself."""
    start = (cwd or Path.cwd()).resolve()
    return _git_folder_above(start) or start


def root_of(path: Path, repository: Path) -> Path:
    """The root that bounds what a scan of `path` may read: the repository root when `path` lies inside it."""
    resolved = path.resolve()
    if resolved.is_relative_to(repository):
        return repository
    folder = resolved if resolved.is_dir() else resolved.parent
    return _git_folder_above(folder) or folder


def _git_folder_above(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def program_on_path(name: str, scanned: Iterable[Path]) -> str | None:
    """`name` from PATH, as the scanned tree cannot choose it: only absolute folders of PATH (a relative one is
    the current folder), and none inside a scanned path or its repository (CI puts folders of the checkout on
    PATH, such as `node_modules/.bin`)."""
    untrusted = set()
    for path in scanned:
        resolved = path.resolve()
        untrusted.update((resolved, repository_root(resolved if resolved.is_dir() else resolved.parent)))
    folders = [folder for folder in os.environ.get("PATH", os.defpath).split(os.pathsep)
               if os.path.isabs(folder) and not any(Path(folder).resolve().is_relative_to(u) for u in untrusted)]
    return shutil.which(name, path=os.pathsep.join(folders)) if folders else None
