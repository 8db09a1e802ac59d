"""What gateaudit reads from a hostile tree (issue 13): one rule for every file it opens, module sources
inside the repository root only, Terraform's override files, hidden folders and `--skip-path`.

The rule: a file of the scanned tree is read when it is a regular file; a symbolic link is followed only to
a regular file inside the repository root. A device, a named pipe, a socket, or a link out of the root is
exit 2 naming the file and why, and nothing it holds reaches a report. What the command line names
(`--var-file`, a scanned file) is trusted as to where it is, and must still be a regular file.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

import pytest

from .test_hostile import assert_clean, assert_outcome, scan

GUARDED = '''variable "auth" {
  type    = string
  default = "AWS_IAM"
}

resource "aws_api_gateway_method" "m" {
  rest_api_id   = "a"
  resource_id   = "b"
  http_method   = "GET"
  authorization = var.auth
}
'''
TOKEN = "tok_live_8f2a61c0d9e4b7"  # a credential a hostile link points the tfvars at
OPEN_METHOD = GUARDED.replace('"AWS_IAM"', '"NONE"')


def repository(tmp_path: Path) -> tuple[Path, Path]:
    """A repository (the root: it holds .git) with the scanned folder `infra`, and a folder outside it."""
    repo, outside = tmp_path / "repo", tmp_path / "home"
    (repo / ".git").mkdir(parents=True)
    (repo / "infra").mkdir()
    (repo / "infra" / "main.tf").write_text(GUARDED)
    outside.mkdir()
    (outside / "credentials").write_text(f'auth = "{TOKEN}"\n')
    (outside / "credentials.json").write_text(json.dumps({"auth": TOKEN}))
    return repo, outside


# ------------------------------------------------------------------------- links out of the repository

@pytest.mark.parametrize(("name", "target"), [
    ("terraform.tfvars", "credentials"),
    ("terraform.tfvars.json", "credentials.json"),
    ("prod.auto.tfvars", "credentials"),
    ("prod.auto.tfvars.json", "credentials.json"),
])
def test_a_variable_file_linked_out_of_the_repository_is_an_error_and_never_shown(name, target, tmp_path):
    repo, outside = repository(tmp_path)
    (repo / "infra" / name).symlink_to(outside / target)
    for report in ("text", "markdown", "json"):
        done = scan("--no-cache", "--format", report, repo / "infra", cwd=repo)
        assert_outcome(done, 2, f"{name}: symbolic link to '{outside / target}', outside the repository "
                                f"root {repo}: not followed")
        assert TOKEN not in done.stdout + done.stderr


def test_a_module_file_linked_out_of_the_repository_is_an_error(tmp_path):
    repo, outside = repository(tmp_path)
    (outside / "method.tf").write_text(OPEN_METHOD.replace('"m"', '"outside"'))
    (repo / "infra" / "main.tf").write_text('module "api" {\n  source = "../modules/api"\n}\n')
    (repo / "modules" / "api").mkdir(parents=True)
    (repo / "modules" / "api" / "main.tf").symlink_to(outside / "method.tf")
    done = scan("--no-cache", repo / "infra", cwd=repo)
    assert_outcome(done, 2, f"../modules/api/main.tf: symbolic link to '{outside / 'method.tf'}', outside the "
                            f"repository root {repo}: not followed")
    assert "aws_api_gateway_method.outside" not in done.stdout


def test_a_link_to_a_file_elsewhere_in_the_repository_is_followed(tmp_path):
    """Inside the root is trusted as Terraform would read it: judged where the link is."""
    repo, _ = repository(tmp_path)
    (repo / "shared").mkdir()
    (repo / "shared" / "method.tf").write_text(OPEN_METHOD)
    (repo / "infra" / "main.tf").unlink()
    (repo / "infra" / "main.tf").symlink_to("../shared/method.tf")
    done = scan("--no-cache", repo / "infra", cwd=repo)
    assert_outcome(done, 1, "FAIL    GA101 aws_api_gateway_method.m  main.tf:6")


def test_without_git_the_root_is_the_current_folder(tmp_path):
    """No .git: the root is the folder CI runs in; a link above it is out of the root."""
    (tmp_path / "work" / "infra").mkdir(parents=True)
    (tmp_path / "work" / "infra" / "main.tf").write_text(GUARDED)
    (tmp_path / "credentials").write_text(f'auth = "{TOKEN}"\n')
    (tmp_path / "work" / "infra" / "terraform.tfvars").symlink_to(tmp_path / "credentials")
    done = scan("--no-cache", "infra", cwd=tmp_path / "work")
    assert_outcome(done, 2, "terraform.tfvars: symbolic link to")
    assert "outside the repository root" in done.stderr and TOKEN not in done.stdout + done.stderr


# ------------------------------------------------------------------------------- not regular files

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")


@needs_fifo
@pytest.mark.parametrize("name", ["terraform.tfvars", "x.auto.tfvars", "x.auto.tfvars.json"])
def test_a_named_pipe_as_a_variable_file_is_an_error_and_never_blocks(name, tmp_path):
    repo, _ = repository(tmp_path)
    os.mkfifo(repo / "infra" / name)
    assert_outcome(scan("--no-cache", repo / "infra", cwd=repo, timeout=30), 2,
                   f"{name}: not a regular file (a named pipe): not read")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
@pytest.mark.parametrize("name", ["terraform.tfvars", "x.auto.tfvars"])
def test_dev_zero_as_a_variable_file_is_an_error(name, tmp_path):
    repo, _ = repository(tmp_path)
    (repo / "infra" / name).symlink_to("/dev/zero")
    assert_outcome(scan("--no-cache", repo / "infra", cwd=repo, timeout=30), 2,
                   f"{name}: symbolic link to '/dev/zero', outside the repository root")


@needs_fifo
def test_a_link_inside_the_repository_to_a_named_pipe_is_an_error(tmp_path):
    repo, _ = repository(tmp_path)
    os.mkfifo(repo / "pipe")
    (repo / "infra" / "terraform.tfvars").symlink_to(repo / "pipe")
    assert_outcome(scan("--no-cache", repo / "infra", cwd=repo, timeout=30), 2,
                   f"terraform.tfvars: symbolic link to '{repo / 'pipe'}', a named pipe, not a regular file: "
                   "not followed")


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="no Unix sockets here")
def test_a_socket_as_a_variable_file_is_an_error(tmp_path):
    repo, _ = repository(tmp_path)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(repo / "infra" / "x.auto.tfvars"))
        assert_outcome(scan("--no-cache", repo / "infra", cwd=repo, timeout=30), 2,
                       "x.auto.tfvars: not a regular file (a socket): not read")
    finally:
        server.close()


# --------------------------------------------------------------------------- the trusted command line

def test_a_var_file_given_on_the_command_line_is_read_wherever_it_is(tmp_path):
    repo, outside = repository(tmp_path)
    (outside / "prod.tfvars").write_text('auth = "NONE"\n')
    done = scan("--no-cache", repo / "infra", "--var-file", outside / "prod.tfvars", cwd=repo)
    assert_outcome(done, 1, 'authorization is "NONE"')


@needs_fifo
def test_a_var_file_given_on_the_command_line_must_be_a_regular_file(tmp_path):
    repo, outside = repository(tmp_path)
    os.mkfifo(outside / "prod.tfvars")
    done = scan("--no-cache", repo / "infra", "--var-file", outside / "prod.tfvars", cwd=repo, timeout=30)
    assert_outcome(done, 2, "prod.tfvars: not a regular file (a named pipe): not read")


def test_a_scanned_file_given_on_the_command_line_is_read_through_its_link(tmp_path):
    repo, outside = repository(tmp_path)
    (outside / "method.tf").write_text(OPEN_METHOD)
    (repo / "infra" / "linked.tf").symlink_to(outside / "method.tf")
    done = scan("--no-cache", repo / "infra" / "linked.tf", cwd=repo)
    assert_clean(done)
    assert done.returncode == 1 and 'authorization is "NONE"' in done.stdout


# ---------------------------------------------------------------------------------------- module sources

def module_call(source: str) -> str:
    return f'module "api" {{\n  source = "{source}"\n}}\n'


def test_an_absolute_module_source_inside_the_repository_is_loaded(tmp_path):
    repo, _ = repository(tmp_path)
    (repo / "modules" / "api").mkdir(parents=True)
    (repo / "modules" / "api" / "main.tf").write_text(OPEN_METHOD)
    (repo / "infra" / "main.tf").write_text(module_call(str(repo / "modules" / "api")))
    done = scan("--no-cache", repo / "infra", cwd=repo)
    assert_outcome(done, 1, "FAIL    GA101 module.api.aws_api_gateway_method.m  ../modules/api/main.tf:6")


@pytest.mark.parametrize("source", ["{outside}/modules/api", "../../home/modules/api"], ids=["absolute", "relative"])
def test_a_module_source_outside_the_repository_is_not_read_and_says_so(source, tmp_path):
    repo, outside = repository(tmp_path)
    (outside / "modules" / "api").mkdir(parents=True)
    (outside / "modules" / "api" / "main.tf").write_text(OPEN_METHOD.replace('"m"', '"outside"'))
    source = source.format(outside=outside)
    (repo / "infra" / "main.tf").write_text(module_call(source))
    done = scan("--no-cache", "--format", "json", repo / "infra", cwd=repo)
    assert_clean(done)
    report = json.loads(done.stdout)
    assert report["not_scanned"] == [{"module": "module.api", "source": source, "file": "main.tf", "line": 1,
                                      "reason": "outside the repository root: not read"}]
    assert "aws_api_gateway_method.outside" not in done.stdout
    text = scan("--no-cache", repo / "infra", cwd=repo)
    assert f"not scanned: module.api (source {source}) at main.tf:1: outside the repository root: not read" \
        in text.stdout


# ------------------------------------------------------------------------- hidden folders, .git, .terraform

def hidden_tree(tmp_path: Path) -> Path:
    """A guarded root, an open method in a hidden folder, and open methods where no Terraform of ours is."""
    repo, _ = repository(tmp_path)
    infra = repo / "infra"
    for folder in (".deploy", ".terraform/modules/api", ".git"):
        (infra / folder).mkdir(parents=True, exist_ok=True)
        (infra / folder / "main.tf").write_text(OPEN_METHOD.replace('"m"', f'"{folder.split("/")[0][1:]}"'))
    return infra


def test_a_hidden_folder_is_scanned_like_any_other(tmp_path):
    infra = hidden_tree(tmp_path)
    done = scan("--no-cache", infra, cwd=tmp_path / "repo")
    assert_outcome(done, 1, "FAIL    GA101 aws_api_gateway_method.deploy  .deploy/main.tf:6")
    assert "aws_api_gateway_method.terraform" not in done.stdout and "aws_api_gateway_method.git" not in done.stdout


def test_git_and_terraform_folders_are_skipped_and_every_report_says_so(tmp_path):
    infra = hidden_tree(tmp_path)
    done = scan("--no-cache", "--format", "json", infra, cwd=tmp_path / "repo")
    assert_clean(done)
    assert json.loads(done.stdout)["skipped"] == [
        {"path": ".git", "reason": ".git: git's own data, not Terraform"},
        {"path": ".terraform", "reason": ".terraform: Terraform's working folder, not this repository's "
                                         "configuration (the modules terraform init downloaded are read as the "
                                         "calls that use them)"}]
    text = scan("--no-cache", infra, cwd=tmp_path / "repo").stdout
    assert "skipped: .terraform: .terraform: Terraform's working folder" in text


@needs_fifo
def test_a_scanned_file_given_on_the_command_line_must_be_a_regular_file(tmp_path):
    repo, _ = repository(tmp_path)
    os.mkfifo(repo / "infra" / "pipe.tf")
    done = scan("--no-cache", repo / "infra" / "pipe.tf", cwd=repo, timeout=30)
    assert_outcome(done, 2, "pipe.tf: not a regular file (a named pipe): not read")
