"""Find the Terraform files below the scanned paths."""

from __future__ import annotations

import os
from pathlib import Path

CONFIG_SUFFIXES = (".tf", ".tf.json")
SKIPPED_DIRECTORIES = {".terraform"}


def is_config_file(name: str) -> bool:
    return name.endswith(CONFIG_SUFFIXES)


def find_config_files(path: Path) -> list[Path]:
    """`*.tf` and `*.tf.json` below a folder (or the file itself), skipping `.terraform/` and hidden folders.

    The order is stable: sorted by path.
    """
    if path.is_file():
        return [path]
    found: list[Path] = []
    for directory, subdirectories, files in os.walk(path):
        subdirectories[:] = sorted(d for d in subdirectories
                                   if not d.startswith(".") and d not in SKIPPED_DIRECTORIES)
        found.extend(Path(directory) / name for name in files if is_config_file(name))
    return sorted(found)


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
