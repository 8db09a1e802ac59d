"""Stacks the integrations scan, copied into the job's workspace."""

from __future__ import annotations

import shutil
from pathlib import Path


def copy_stack(source: Path, folder: Path) -> None:
    """A fixture's main.tf into `folder`, with the authorizer's code beside it when it has some (handler.py)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, folder / "main.tf")
    if (source.parent / "handler.py").is_file():
        shutil.copyfile(source.parent / "handler.py", folder / "handler.py")
