import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run_cli():
    """Run the installed console entry point as a user would: returns (exit code, stdout, stderr)."""

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "gateaudit", *args], capture_output=True, text=True,
                              cwd=cwd or ROOT, timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})

    return run
