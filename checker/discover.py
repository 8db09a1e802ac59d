"""Find the Terraform files below the scanned paths, and the variable files Terraform loads by itself.

Discovery only lists: which names are there. Whether a listed file may be read (a regular file, or a
symbolic link to one inside the repository root) is decided when it is read, by one rule for every file
(`gateaudit.inputs`), so a link or a named pipe is judged the same wherever it was found.
"""

from __future__ import annotations

import operator
import os
import re
from pathlib import Path

CONFIG_SUFFIXES = (".tf", ".tf.json")
# Folders that never hold this repository's Terraform, skipped wherever they are, and said so in every report.
ALWAYS_SKIPPED = {
    ".git": ".git: git's own data, not Terraform",
    ".terraform": ".terraform: Terraform's working folder, not this repository's configuration (the modules "
                  "terraform init downloaded are read as the calls that use them)",
}


def display_prefix(folder: Path, several: bool) -> str:
    """What reports put before the files of one scanned folder: nothing when one path is scanned; the folder as
    given when several are (`infra/main.tf`, `modules/main.tf`), so their files stay apart."""
    prefix = str(folder).rstrip("/") + "/" if several else ""
    return "" if prefix == "./" else prefix


def is_config_file(name: str) -> bool:
    return name.endswith(CONFIG_SUFFIXES)


def find_config_files(path: Path, root: Path, skip: tuple[str, ...] = (),
                      problems: list[tuple[Path, str]] | None = None,
                      skipped: list[tuple[Path, str]] | None = None) -> list[Path]:
    """`*.tf` and `*.tf.json` below a folder (or the file itself), hidden folders too.

    The order is stable: sorted by path. Every entry with a Terraform name that is not a folder is listed,
    links and named pipes too: reading decides what may be read. `.git` and `.terraform` folders, and the
    folders and files `skip` (`--skip-path`, see `skip_reason`) names, are not walked: they go to
    `skipped` as (path, why), for every report to list. A link to a folder is not descended: its target, if
    inside the scanned folder, is scanned at its own path (nothing twice, no loop); a link to a folder
    elsewhere, a dangling link, a loop and a folder that cannot be listed go to `problems` as (path, reason):
    the caller reports them, so nothing is dropped quietly.
    """
    problems = [] if problems is None else problems
    skipped = [] if skipped is None else skipped
    if not path.is_dir():
        return [path]  # the command line named a file: reading says if it is not a regular one
    scanned = path.resolve()
    found: list[Path] = []

    def cannot_list(error: OSError) -> None:
        problems.append((Path(error.filename or path), f"cannot list this folder: {error.strerror or error}"))

    for directory, subdirectories, files in os.walk(path, onerror=cannot_list):
        here = Path(directory)
        kept = []
        for name in sorted(subdirectories):
            folder = here / name
            why = ALWAYS_SKIPPED.get(name) or _skipped(folder, path, skip)
            if why:
                skipped.append((folder, why))
                continue
            if os.path.islink(folder):
                problem = _folder_link_problem(folder, scanned, root)
                if problem:
                    problems.append((folder, problem))
                continue
            kept.append(name)
        subdirectories[:] = kept
        for name in files:
            if is_config_file(name):
                file = here / name
                why = _skipped(file, path, skip)
                if why:
                    skipped.append((file, why))
                else:
                    found.append(file)
    # In the order of paths, folder by folder (as Path compares them), by their names: compared in C.
    return sorted(found, key=_parts)


_parts = operator.attrgetter("parts")


SKIPPED_BY = "skipped by "  # a module folder --skip-path names: not read, knowingly (engine accepts its gap)


def skip_reason(relative: str, patterns: tuple[str, ...]) -> str | None:
    """Which `--skip-path` pattern skips the folder or file at `relative` (to the scanned folder), if any.

    Glob patterns as Trivy's `--skip-dirs`/`--skip-files` take them, relative to the scanned folder: `*`,
    `?` and `[...]` match within one name, `**` any number of folders (`apps/*/legacy`, `**/generated`).
    A pattern without a `/` (but for a trailing one) matches a name at any depth, as in `.gitignore`
    (`legacy`, `legacy/`, `*_generated.tf`); a leading `./` or `/` anchors it at the scanned folder
    (`./legacy`). A skipped folder is skipped with everything below it.
    """
    parts = [part for part in relative.split("/") if part not in ("", ".")]
    for pattern in patterns:
        trimmed = pattern.rstrip("/")
        if "/" in trimmed:
            if _glob(trimmed.removeprefix("./").lstrip("/")).fullmatch("/".join(parts)):
                return f"--skip-path {pattern}"
        elif any(_glob(trimmed).fullmatch(part) for part in parts if part != ".."):
            return f"--skip-path {pattern}"
    return None


def _glob(pattern: str) -> re.Pattern[str]:
    regex = []
    segments = pattern.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "**":
            regex.append(".*" if last else "(?:[^/]+/)*")
            continue
        regex.append(_segment(segment) + ("" if last else "/"))
    return re.compile("".join(regex))


def _segment(segment: str) -> str:
    """One name of a glob: `*` and `?` never cross a `/`; `[...]` is a class, `[!...]` its complement."""
    out, i = [], 0
    while i < len(segment):
        char = segment[i]
        end = segment.find("]", i + 2) if char == "[" else -1
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif end != -1:
            body = segment[i + 1:end]
            negate = body[:1] == "!"
            body = (body[1:] if negate else body).replace("\\", "\\\\")
            out.append("[" + ("^/" if negate else "\\" if body[:1] == "^" else "") + body + "]")
            i = end
        else:
            out.append(re.escape(char))
        i += 1
    return "".join(out)


def _skipped(path: Path, start: Path, skip: tuple[str, ...]) -> str | None:
    """`skip_reason` for `path` below `start`; no relative path is worked out when nothing is to be skipped (most
    scans: it was a third of walking a monorepo)."""
    return skip_reason(os.path.relpath(path, start).replace(os.sep, "/"), skip) if skip else None


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


def config_files_in(directory: Path, base: Path,
                    skip: tuple[str, ...] = ()) -> tuple[list[Path], list[tuple[Path, str]]]:
    """The configuration files of one module folder (not its subfolders), and those `skip` leaves out (path, why).

    `base` is the scanned folder the `--skip-path` patterns are relative to.
    """
    kept, skipped = [], []
    for file in _entries(directory, is_config_file):
        why = _skipped(file, base, skip)
        if why:
            skipped.append((file, why))
        else:
            kept.append(file)
    return kept, skipped


def tfvars_files(directory: Path) -> list[Path]:
    """Variable files Terraform loads by itself, in its order: terraform.tfvars(.json), then *.auto.tfvars(.json).
    Any entry but a folder: links and pipes too, as for configuration files. One listing of the folder (a scan asks
    this of every root, and a warm scan asks it again)."""
    try:
        with os.scandir(directory) as entries:
            names = {entry.name for entry in entries if not entry.is_dir(follow_symlinks=False)}
    except OSError:  # not listable, but maybe searchable: its fixed names may still be there
        return [p for p in (directory / name for name in _AUTOMATIC) if os.path.lexists(p) and not _is_folder(p)]
    return ([directory / name for name in _AUTOMATIC if name in names]
            + sorted(directory / name for name in names if name.endswith((".auto.tfvars", ".auto.tfvars.json"))))


_AUTOMATIC = ("terraform.tfvars", "terraform.tfvars.json")


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
