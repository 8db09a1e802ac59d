"""Checkov for the tests: the real one in `.venv-checkov/` (`make checkov`), and fake ones in tmp folders."""

from __future__ import annotations

import os
import stat
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL_CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
PEER = ROOT.parent / "shared" / "peer" / "checkov"


@pytest.fixture
def real_checkov() -> Path:
    """The pinned Checkov in its own venv; skipped, saying why, where `make checkov` has not built it."""
    built = any(REAL_CHECKOV.parent.parent.glob(".installed-*"))  # the stamp `make checkov` writes last
    if not (built and REAL_CHECKOV.is_file() and os.access(REAL_CHECKOV, os.X_OK)):
        pytest.skip(f"{REAL_CHECKOV.relative_to(ROOT)} does not exist or was not built to the end: `make checkov` "
                    "builds it (`make test` tries to, and says why when it cannot)")
    return REAL_CHECKOV


@pytest.fixture
def fake_checkov(tmp_path):
    """Write an executable Python script standing in for `checkov`; returns its path."""

    def make(body: str, name: str = "checkov") -> Path:
        folder = tmp_path / "fake-bin"
        folder.mkdir(exist_ok=True)
        script = folder / name
        script.write_text(f"#!{sys.executable}\n" + textwrap.dedent(body))
        script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return script

    return make
