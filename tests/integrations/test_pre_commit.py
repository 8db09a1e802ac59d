"""The pre-commit hook, for real: pre-commit clones the project, pip-installs it into an environment of its own
and runs the hook in a temporary git repository, with `try-repo` and as a user's configured commit hook.

Needs git, pre-commit (the test extra) and the package index for gateaudit's dependencies. PRE_COMMIT_HOME points
into the test's temporary folder, so nothing lands in ~/.cache/pre-commit.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ._stacks import copy_stack

ROOT = Path(__file__).resolve().parent.parent.parent
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())

pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("pre_commit") is None,
                       reason="pre-commit is not installed (pip install -e '.[test]'): the hook cannot be run"),
    pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed: pre-commit needs it"),
]


def pre_commit(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(home), PRE_COMMIT_COLOR="never", GIT_AUTHOR_NAME="gateaudit tests",
               GIT_AUTHOR_EMAIL="tests@gateaudit.invalid", GIT_COMMITTER_NAME="gateaudit tests",
               GIT_COMMITTER_EMAIL="tests@gateaudit.invalid")
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture
def user_repo(tmp_path, git) -> Path:
    folder = tmp_path / "user-repo"
    folder.mkdir()
    git("init", "--quiet", cwd=folder)
    (folder / "README.md").write_text("infrastructure\n")
    return folder


def put(repo: Path, source: Path, git) -> None:
    copy_stack(source, repo / "infra")
    git("add", "--all", cwd=repo)


def test_the_hook_judges_folders_and_runs_only_when_terraform_its_settings_or_code_change():
    [hook] = HOOKS
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "gateaudit", "gateaudit scan", "python", False)
    import re

    files = re.compile(hook["files"])
    for changed in ("main.tf", "infra/api.tf.json", "prod.tfvars", "env/prod.tfvars.json", ".gateaudit.toml",
                    "infra/.gateaudit.toml", ".gateaudit-baseline.json", "authorizer/handler.py", "src/index.ts",
                    "lambda/auth.mjs", "build/authorizer.zip"):  # code: the authorizer's, which the code rules read
        assert files.search(changed), changed
    for unchanged in ("README.md", "handler.pyc", "main.tf.bak", "notes.gateaudit.toml.txt", "x.gateaudit.toml"):
        assert not files.search(unchanged), unchanged


def test_try_repo_fails_an_insecure_stack_with_the_finding(project_repo, user_repo, git, tmp_path, insecure_tf):
    project, _ = project_repo
    put(user_repo, insecure_tf, git)
    done = pre_commit("try-repo", str(project), "gateaudit", "--all-files", cwd=user_repo, home=tmp_path / "home")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "gateaudit....." in done.stdout and "Failed" in done.stdout
    assert "FAIL    GA101 aws_api_gateway_method.get  infra/main.tf:12" in done.stdout
    assert done.stdout.count("scanned .") == 1  # one run over the repository, not one per file


def test_try_repo_passes_a_secure_stack(project_repo, user_repo, git, tmp_path, secure_tf):
    project, _ = project_repo
    put(user_repo, secure_tf, git)
    done = pre_commit("try-repo", str(project), "gateaudit", "--all-files", cwd=user_repo, home=tmp_path / "home")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "gateaudit....." in done.stdout and "Passed" in done.stdout


def test_as_a_commit_hook_it_blocks_a_commit_and_takes_paths_and_options_from_args(
        project_repo, user_repo, git, tmp_path_factory, insecure_tf):
    project, commit = project_repo
    home = tmp_path_factory.getbasetemp() / "pre-commit-home"  # one hook environment for the whole session

    def configure(**hook) -> None:
        config = {"repos": [{"repo": str(project), "rev": commit, "hooks": [{"id": "gateaudit", **hook}]}]}
        (user_repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
        git("add", ".pre-commit-config.yaml", cwd=user_repo)

    def commit_all(message: str) -> tuple[int, str]:
        """git commit as a user runs it; the hook's output comes back on git's standard error."""
        env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
        done = subprocess.run(["git", "-c", "user.name=gateaudit tests", "-c", "user.email=tests@gateaudit.invalid",
                               "-c", "commit.gpgsign=false", "commit", "--quiet", "--message", message],
                              cwd=user_repo, env={**env, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"},
                              capture_output=True, text=True, timeout=600)
        return done.returncode, done.stdout + done.stderr

    configure()
    assert pre_commit("install", cwd=user_repo, home=home).returncode == 0
    put(user_repo, insecure_tf, git)
    code, output = commit_all("an open method")
    assert code == 1, output
    assert "FAIL    GA101 aws_api_gateway_method.get  infra/main.tf:12" in output
    assert subprocess.run(["git", "rev-parse", "--verify", "--quiet", "HEAD"], cwd=user_repo).returncode != 0

    configure(args=["infra", "--fail-on", "critical"])  # GA101 is high: below the bar during a rollout
    code, output = commit_all("an open method, accepted while the gate rolls out")
    assert code == 0, output
    assert "gateaudit....." in output and "Passed" in output
    verbose = pre_commit("run", "gateaudit", "--all-files", "--verbose", cwd=user_repo, home=home)
    assert verbose.returncode == 0 and "scanned infra" in verbose.stdout
    assert "PASS: 1 failed below fail-on critical" in verbose.stdout

    (user_repo / "README.md").write_text("infrastructure, documented\n")
    git("add", "README.md", cwd=user_repo)
    code, output = commit_all("docs only")
    assert code == 0, output
    assert "gateaudit....." in output and "(no files to check)Skipped" in output
