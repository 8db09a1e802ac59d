"""Evidence a reviewer can sign: the report proves what it judged.

A commit alone is not evidence when the working tree differs from it (a changed line gave 8 failures "at" a commit
that gives 7): every format that shows the commit says whether the tree was modified, and the JSON and HTML
reports list every file the scan read with its SHA-256. git is asked without letting the scanned repository
choose the git program or run programs of its own (core.fsmonitor, filter drivers).
"""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MAIN = '''module "api" {
  source = "../modules/api"
  name   = var.name
}

variable "name" {
  type = string
}
'''

MODULE = '''variable "name" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = var.name
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}
'''

FORMATS = ("text", "json", "sarif", "junit", "markdown", "html")


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false",
                           *args], cwd=repo, capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.strip()


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository holding the Terraform of a team: a root module in infra/, a module it calls beside it."""
    root = tmp_path / "repo"
    (root / "infra").mkdir(parents=True)
    (root / "modules" / "api").mkdir(parents=True)
    (root / "infra" / "main.tf").write_text(MAIN)
    (root / "infra" / "terraform.tfvars").write_text('name = "fitness"\n')
    (root / "modules" / "api" / "main.tf").write_text(MODULE)
    (root / "prod.tfvars").write_text('name = "fitness-prod"\n')
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "infra")
    return root


def scan(repo: Path, out: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    formats = [word for name in FORMATS for word in ("--format", name)]
    return subprocess.run([sys.executable, "-m", "gateaudit", "scan", "infra", "--var-file", "prod.tfvars", *formats,
                           "--output-dir", str(out), *args], cwd=repo, capture_output=True, text=True, timeout=120,
                          env=env or {**os.environ, "PYTHONIOENCODING": "utf-8"})


def reports(out: Path) -> dict[str, str]:
    return {path.suffix: path.read_text() for path in out.iterdir()}


def test_a_clean_tree_is_stamped_with_its_commit_and_said_to_be_clean(repo, tmp_path):
    commit = git(repo, "rev-parse", "HEAD")
    done = scan(repo, tmp_path / "out")
    assert done.returncode == 1, done.stderr
    found = reports(tmp_path / "out")
    assert json.loads(found[".json"])["git"] == {"commit": commit, "branch": git(repo, "branch", "--show-current"),
                                                 "modified": False}
    assert "working tree modified" not in "".join(found.values())
    assert f"at commit {commit[:12]}\n" in found[".txt"].splitlines(keepends=True)[0]
    assert f"<code>{commit}</code> (working tree clean)" in found[".html"]


def test_a_modified_tree_is_named_beside_the_commit_in_every_format(repo, tmp_path):
    commit = git(repo, "rev-parse", "HEAD")
    (repo / "modules" / "api" / "main.tf").write_text(MODULE.replace('"NONE"', '"AWS_IAM"'))
    done = scan(repo, tmp_path / "out")
    assert done.returncode == 0, done.stderr
    found = reports(tmp_path / "out")
    assert json.loads(found[".json"])["git"]["modified"] is True
    assert found[".txt"].splitlines()[0].endswith(f"at commit {commit[:12]} (working tree modified)")
    assert f"commit <code>{commit[:12]}</code> (working tree modified)" in found[".html"]
    assert f"<code>{commit}</code> (working tree modified)" in found[".html"]
    assert f"commit <code>{commit[:12]}</code> (working tree modified)" in found[".md"]
    properties = json.loads(found[".sarif"])["runs"][0]["properties"]
    assert (properties["gitCommit"], properties["gitWorkingTreeModified"]) == (commit, True)
    junit = {p.get("name"): p.get("value") for p in ET.fromstring(found[".xml"]).iter("property")}
    assert (junit["git.commit"], junit["git.working_tree_modified"]) == (commit, "true")


def test_an_untracked_file_modifies_the_tree(repo, tmp_path):
    (repo / "infra" / "extra.tf").write_text('locals {\n  x = 1\n}\n')
    scan(repo, tmp_path / "out")
    assert json.loads((tmp_path / "out" / "gateaudit.json").read_text())["git"]["modified"] is True


def test_every_file_read_is_listed_with_its_sha256(repo, tmp_path):
    done = scan(repo, tmp_path / "out")
    assert done.returncode == 1, done.stderr
    found = reports(tmp_path / "out")
    expected = {shown: hashlib.sha256((repo / real).read_bytes()).hexdigest() for shown, real in (
        ("main.tf", "infra/main.tf"), ("terraform.tfvars", "infra/terraform.tfvars"),
        ("../modules/api/main.tf", "modules/api/main.tf"), ("../prod.tfvars", "prod.tfvars"))}
    files = json.loads(found[".json"])["files"]
    assert files == [{"path": path, "sha256": expected[path]} for path in sorted(expected)]
    for path, digest in expected.items():
        assert f'<code class="wrap-any">{path}</code></td><td><code class="digest">{digest}</code>' in found[".html"]


def test_the_commit_and_hashes_come_from_the_tree_as_it_was_read_not_a_cache(repo, tmp_path):
    scan(repo, tmp_path / "first")
    (repo / "infra" / "main.tf").write_text(MAIN + "\n")
    scan(repo, tmp_path / "second")
    first, second = (json.loads((tmp_path / name / "gateaudit.json").read_text()) for name in ("first", "second"))
    assert first["git"]["modified"] is False and second["git"]["modified"] is True
    digests = [{f["path"]: f["sha256"] for f in report["files"]}["main.tf"] for report in (first, second)]
    assert digests == [hashlib.sha256(MAIN.encode()).hexdigest(), hashlib.sha256((MAIN + "\n").encode()).hexdigest()]


def test_a_folder_outside_git_has_no_commit_and_still_its_hashes(tmp_path):
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(MODULE.replace("var.name", '"x"'))
    done = subprocess.run([sys.executable, "-m", "gateaudit", "scan", "infra", "--format", "json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env={**os.environ,
                                                                             "GIT_CEILING_DIRECTORIES": str(tmp_path)})
    report = json.loads(done.stdout)
    assert report["git"] is None
    assert report["files"] == [{"path": "main.tf",
                                "sha256": hashlib.sha256((tmp_path / "infra" / "main.tf").read_bytes()).hexdigest()}]


def marking_program(path: Path, marker: Path) -> Path:
    """A program that leaves `marker` behind if anything runs it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\ntouch '{marker}'\ncat\n")
    path.chmod(0o755)
    return path


def test_the_repositorys_fsmonitor_does_not_run(repo, tmp_path):
    marker = tmp_path / "fsmonitor-ran"
    hook = marking_program(tmp_path / "hooks" / "fsmonitor", marker)
    git(repo, "config", "core.fsmonitor", str(hook))
    (repo / "infra" / "main.tf").write_text(MAIN + "\n")
    done = scan(repo, tmp_path / "out")
    assert done.returncode == 1, done.stderr
    assert not marker.exists(), "gateaudit ran the repository's core.fsmonitor program"
    assert json.loads((tmp_path / "out" / "gateaudit.json").read_text())["git"]["modified"] is True


def test_the_repositorys_filter_drivers_do_not_run(repo, tmp_path):
    marker = tmp_path / "filter-ran"
    program = marking_program(tmp_path / "filters" / "clean", marker)
    git(repo, "config", "filter.evidence.clean", str(program))
    git(repo, "config", "filter.evidence.process", str(program))
    (repo / ".gitattributes").write_text("*.tf filter=evidence\n")
    git(repo, "add", ".gitattributes")
    git(repo, "commit", "-q", "-m", "attributes")
    marker.unlink(missing_ok=True)  # git add ran it: that was the test's own git, not gateaudit
    (repo / "infra" / "main.tf").write_text(MAIN + "\n")
    done = scan(repo, tmp_path / "out")
    assert done.returncode == 1, done.stderr
    assert not marker.exists(), "gateaudit ran the repository's filter driver"
    assert json.loads((tmp_path / "out" / "gateaudit.json").read_text())["git"]["modified"] is True


def test_a_git_program_inside_the_repository_is_not_run(repo, tmp_path):
    marker = tmp_path / "fake-git-ran"
    marking_program(repo / "tools" / "git", marker)
    path = os.pathsep.join([str(repo / "tools"), "tools", "", os.environ["PATH"]])  # where CI puts node_modules/.bin
    done = scan(repo, tmp_path / "out", env={**os.environ, "PATH": path})
    assert done.returncode == 1, done.stderr
    assert not marker.exists(), "gateaudit ran a git program from the scanned repository"
    assert json.loads((tmp_path / "out" / "gateaudit.json").read_text())["git"]["commit"] == git(repo, "rev-parse",
                                                                                                 "HEAD")
