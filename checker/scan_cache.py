"""Reuse a whole judgement when nothing it depended on has changed: a warm re-scan of an unchanged tree.

The parse cache (`checker.parse_many`) saves the parsing; building the model and running the rules still
cost several times the rest of a warm run. So a scan also keeps its judgement (`result.Judgement`: the
rules' results and errors, before any waiver, date or baseline is applied) under a key naming everything
the judgement is a function of besides the files:
- gateaudit's own code and data (each file's size and modification time, as for `.pyc` files), and
  python-hcl2's grammar and lark's version (by the cache folder's name);
- the rules that run, the code in every `--rules-dir`, and their options from the config file;
- the paths and variable files as given, the working folder, and the limits;
and with it what loading asked the filesystem (`checker.inputs`). A later scan with the same key asks
every question again, and reads and hashes every file again; only when every answer is the same is the
judgement reused. Anything else, even one byte, and the scan judges afresh.

An entry holds the scanned files' text (for the source lines reports show), so only the most recently used
KEEP entries are kept: enough for the trees and branches one person or runner scans, few enough that the
folder does not grow with every commit.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sys
from pathlib import Path

from . import limits
from .inputs import Inputs
from .parse_many import store
from .result import Judgement

KEEP = 32


def key(paths: list[Path], display_paths: list[str], var_files: list[Path], rules: list,
        rules_dirs: list[Path], rule_options: dict, max_file_size: int,
        max_scan_size: int = limits.MAX_SCAN_SIZE) -> str:
    """The name of the judgement of these inputs."""
    import gateaudit
    import gateaudit.rules

    digest = hashlib.sha256()

    def add(label: str, value: object) -> None:
        digest.update(f"{label}\0{value}\0".encode("utf-8", "surrogatepass"))

    add("python", sys.version)
    for folder in (Path(gateaudit.__file__).parent, Path(gateaudit.rules.__file__).parent, *rules_dirs):
        add("code", folder.resolve())
        for path in sorted(folder.rglob("*")):
            if path.suffix in (".py", ".json") and "__pycache__" not in path.parts and path.is_file():
                info = path.stat()  # size and modification time, as Python itself decides a .pyc is stale
                add(path.relative_to(folder), (info.st_size, info.st_mtime_ns))
    add("rules", [(loaded.rule.id, loaded.origin) for loaded in rules])
    add("options", json.dumps(rule_options, sort_keys=True, default=str))
    add("cwd", os.getcwd())
    add("paths", [(str(p), os.path.abspath(p)) for p in paths])
    add("display", list(display_paths))
    add("var_files", [(str(p), os.path.abspath(p)) for p in var_files])
    constants = sorted((name, value) for name, value in vars(limits).items() if name.isupper())
    add("limits", (max_file_size, max_scan_size, constants))
    return digest.hexdigest()


def load(folder: Path, name: str) -> Judgement | None:
    """The judgement kept under `name`, if the filesystem still answers as it did when it was made."""
    try:
        with (folder / "scans" / name).open("rb") as handle:
            entry = pickle.load(handle)
    except Exception:  # absent, truncated or corrupt: judge afresh (and write it again)
        return None
    if not (isinstance(entry, tuple) and len(entry) == 2 and isinstance(entry[0], Inputs)
            and isinstance(entry[1], Judgement)):
        return None
    inputs, judgement = entry
    if not inputs.unchanged():
        return None
    with contextlib.suppress(OSError):
        os.utime(folder / "scans" / name)  # recently used: the last to be pruned
    return judgement


def save(folder: Path, name: str, inputs: Inputs, judgement: Judgement) -> None:
    (folder / "scans").mkdir(exist_ok=True, mode=0o700)
    store(folder / "scans" / name, (inputs, judgement))
    _prune(folder / "scans")


def _prune(scans: Path) -> None:
    """Remove all but the KEEP most recently used entries."""
    try:
        entries = sorted(((entry.stat().st_mtime_ns, entry) for entry in scans.iterdir()
                          if not entry.name.startswith(".")), reverse=True)
        for _, entry in entries[KEEP:]:
            entry.unlink(missing_ok=True)
    except OSError:  # another run pruned meanwhile, or the folder went away: the cache only speeds things up
        return
