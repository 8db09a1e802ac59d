"""Find the Terraform files below the scanned paths."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_SUFFIXES = (".tf", ".tf.json")
SKIPPED_DIRECTORIES = {".terraform"}


def is_config_file(name: str) -> bool:
    return name.endswith(CONFIG_SUFFIXES)


def find_config_files(path: Path, problems: list[tuple[Path, str]] | None = None) -> list[Path]:
    """`*.tf` and `*.tf.json` below a folder (or the file itself), skipping `.terraform/` and hidden folders.

    The order is stable: sorted by path. Symbolic links are followed only where it is safe: a link to a
    file inside the scanned folder is read like the file; a link to a folder is not descended (its target,
    if inside, is scanned at its own path; nothing is scanned twice and no loop is possible). Every other
    link (outside the folder, dangling, a loop) and every folder that cannot be listed goes to `problems`
    as (path, reason): the caller reports it, so no file is dropped quietly.
    """
    problems = [] if problems is None else problems
    if path.is_file():
        return [path]
    root = path.resolve()
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
                problem = _link_problem(here / name, root, folder=True)
                if problem:
                    problems.append((here / name, problem))
                continue
            kept.append(name)
        subdirectories[:] = kept
        for name in files:
            if not is_config_file(name):
                continue
            file = here / name
            problem = _link_problem(file, root, folder=False) if file.is_symlink() else None
            if problem:
                problems.append((file, problem))
            else:
                found.append(file)
    return sorted(found)


def _link_problem(link: Path, root: Path, folder: bool) -> str | None:
    """Why a symbolic link below `root` is not followed, or None for a file link that may be read."""
    try:
        target = link.resolve(strict=True)
    except FileNotFoundError:
        return f"symbolic link to {os.readlink(link)!r}, which does not exist: not followed"
    except (RuntimeError, OSError) as error:  # a loop: RuntimeError before 3.13, OSError (ELOOP) after
        if isinstance(error, OSError) and error.errno not in (None, 40, 62):
            return f"symbolic link that cannot be resolved ({error.strerror or error}): not followed"
        return "symbolic link loop: not followed"
    if not target.is_relative_to(root):
        return (f"symbolic link to {str(target)!r}, outside the scanned folder: not followed "
                "(scan a folder that holds both)")
    if folder:
        return None  # inside the scanned folder: scanned at its own path
    return None if target.is_file() else "symbolic link to something that is not a file: not followed"


def config_files_in(directory: Path) -> list[Path]:
    """The configuration files of one module folder (not its subfolders)."""
    try:
        return sorted(p for p in directory.iterdir() if is_config_file(p.name) and p.is_file())
    except OSError:
        return []


def tfvars_files(directory: Path) -> list[Path]:
    """Variable files Terraform loads by itself, in its order: terraform.tfvars(.json), then *.auto.tfvars(.json)."""
    automatic = [directory / "terraform.tfvars", directory / "terraform.tfvars.json"]
    found = [p for p in automatic if p.is_file()]
    try:
        auto = sorted(p for p in directory.iterdir()
                      if p.name.endswith((".auto.tfvars", ".auto.tfvars.json")) and p.is_file())
    except OSError:
        auto = []
    return found + auto
