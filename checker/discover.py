"""Find the Terraform files below the scanned paths, and the variable files Terraform loads by itself.

Discovery only lists: which names are there. Whether a listed file may be read (a regular file, or a
symbolic link to one inside the repository root) is decided when it is read, by one rule for every file
(`checker.inputs`), so a link or a named pipe is judged the same wherever it was found.
"""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_SUFFIXES = (".tf", ".tf.json")
SKIPPED_DIRECTORIES = {".terraform"}


def is_config_file(name: str) -> bool:
    return name.endswith(CONFIG_SUFFIXES)


def find_config_files(path: Path, root: Path, problems: list[tuple[Path, str]] | None = None) -> list[Path]:
    """`*.tf` and `*.tf.json` below a folder (or the file itself), skipping `.terraform/` and hidden folders.

    The order is stable: sorted by path. Every entry with a Terraform name that is not a folder is listed,
    links and named pipes too: reading decides what may be read. A link to a folder is not descended: its
    target, if inside the scanned folder, is scanned at its own path (nothing twice, no loop); a link to a
    folder elsewhere, a dangling link, a loop and a folder that cannot be listed go to `problems` as
    (path, reason): the caller reports them, so nothing is dropped quietly.
    """
    problems = [] if problems is None else problems
    if path.is_file():
        return [path]
    scanned = path.resolve()
    found: list[Path] = []

    def cannot_list(error: OSError) -> None:
        problems.append((Path(error.filename or path), f"cannot list this folder: {error.strerror or error}"))

    for directory, subdirectories, files in os.walk(path, onerror=cannot_list):
        here = Path(directory)
        kept = []
        for name in sorted(subdirectories):
            if name.startswith(".") or name in SKIPPED_DIRECTORIES:
                continue
            if (here / name).is_symlink():
                problem = _folder_link_problem(here / name, scanned, root)
                if problem:
                    problems.append((here / name, problem))
                continue
            kept.append(name)
        subdirectories[:] = kept
        found += [here / name for name in files if is_config_file(name)]
    return sorted(found)


def link_target(link: Path) -> Path | str:
    """Where a symbolic link leads, resolved through every link on the way, or why it leads nowhere."""
    try:
        return link.resolve(strict=True)
    except FileNotFoundError:
        return f"symbolic link to {os.readlink(link)!r}, which does not exist: not followed"
    except (RuntimeError, OSError) as error:  # a loop: RuntimeError before 3.13, OSError (ELOOP) after
        if isinstance(error, OSError) and error.errno not in (None, 40, 62):
            return f"symbolic link that cannot be resolved ({error.strerror or error}): not followed"
        return "symbolic link loop: not followed"


def outside_root(target: Path, root: Path) -> str:
    return f"symbolic link to {str(target)!r}, outside the repository root {root}: not followed"


def _folder_link_problem(link: Path, scanned: Path, root: Path) -> str | None:
    """Why a link to a folder is reported, or None when its target is scanned at its own path anyway."""
    target = link_target(link)
    if isinstance(target, str):
        return target
    if not target.is_relative_to(root):
        return outside_root(target, root)
    if not target.is_relative_to(scanned):
        return (f"symbolic link to {str(target)!r}, a folder outside the scanned folder: not followed "
                "(scan a folder that holds both)")
    return None


def config_files_in(directory: Path) -> list[Path]:
    """The configuration files of one module folder (not its subfolders)."""
    return _entries(directory, is_config_file)


def tfvars_files(directory: Path) -> list[Path]:
    """Variable files Terraform loads by itself, in its order: terraform.tfvars(.json), then *.auto.tfvars(.json)."""
    automatic = [directory / "terraform.tfvars", directory / "terraform.tfvars.json"]
    found = [p for p in automatic if os.path.lexists(p) and not _is_folder(p)]
    return found + _entries(directory, lambda name: name.endswith((".auto.tfvars", ".auto.tfvars.json")))


def _entries(directory: Path, wanted) -> list[Path]:
    """Entries of a folder with a wanted name that are not folders themselves: links and pipes included."""
    try:
        with os.scandir(directory) as entries:
            return sorted(Path(entry.path) for entry in entries
                          if wanted(entry.name) and not entry.is_dir(follow_symlinks=False))
    except OSError:
        return []


def _is_folder(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()
