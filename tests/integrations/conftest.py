"""What the integration tests share: stacks that fail and pass, a committed copy of the project, git."""

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
RULE_FIXTURES = ROOT / "tests" / "rules" / "GA101"


@pytest.fixture
def insecure_tf() -> Path:
    """GA101 (high) fails: aws_api_gateway_method.get at line 12 has authorization "NONE"."""
    return RULE_FIXTURES / "fail_authorization_none.tf"


@pytest.fixture
def unknown_tf() -> Path:
    """GA101 is unknown: aws_api_gateway_method.get takes authorization from a variable with no value."""
    return RULE_FIXTURES / "unknown_authorization_from_var.tf"


@pytest.fixture
def secure_tf() -> Path:
    """Passes every rule."""
    return Path(__file__).resolve().parent / "fixtures" / "secure" / "main.tf"


@pytest.fixture
def runner_path() -> str:
    """A PATH whose `python` runs the tests, as a CI runner's holds the Python its setup step chose."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def _git(*args: str, cwd: Path) -> str:
    # Without the caller's GIT_* variables: run from a git hook, GIT_INDEX_FILE would point at this repository.
    env = {key: value for key, value in os.environ.items() if not key.startswith("GIT_")}
    done = subprocess.run(["git", "-c", "user.name=gateaudit tests", "-c", "user.email=tests@gateaudit.invalid",
                           "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=60, check=True)
    return done.stdout.strip()


@pytest.fixture
def git() -> Callable[..., str]:
    """Run git in a folder with an identity of its own (CI machines may have none configured)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the integration needs a git repository")
    return _git


@pytest.fixture(scope="session")
def project_repo(tmp_path_factory) -> tuple[Path, str]:
    """The working tree as it stands, committed in a repository of its own: (folder, commit).

    What a user's tool clones and installs is then exactly what is on disk, whether the files under test
    are committed here or not (pre-commit try-repo would leave untracked files out).
    """
    if shutil.which("git") is None:
        pytest.skip("git is not installed: the integration needs a git repository")
    folder = tmp_path_factory.mktemp("project") / "gateaudit"
    shutil.copytree(ROOT, folder, ignore=shutil.ignore_patterns(
        ".git", ".venv*", "build", "*.egg-info", "__pycache__", ".pytest_cache", ".ruff_cache", ".hypothesis",
        ".terraform", "*.tfstate*"))
    _git("init", "--quiet", cwd=folder)
    _git("add", "--all", cwd=folder)
    _git("commit", "--quiet", "--message", "gateaudit under test", cwd=folder)
    return folder, _git("rev-parse", "HEAD", cwd=folder)
