"""What `file()` and `templatefile()` read from a hostile tree, and OpenAPI bodies built to hurt (issue 15).

`file()` reads a file as every file of a scan is read (one rule: `gateaudit.inputs`): a regular file inside
the repository root, within the size limits. Anything else is an unknown naming the call and why, never a
hang, never a scan error, and nothing the file holds reaches a report. An OpenAPI body over the limits (too
large, nested too deeply, aliases that expand) leaves its routes unknown, saying why.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .test_hostile import assert_outcome, scan

TOKEN = "tok_live_8f2a61c0d9e4b7"
API = '''resource "aws_apigatewayv2_api" "http" {{
  name          = "fitness"
  protocol_type = "HTTP"
  body          = file({path})
}}
'''


def repository(tmp_path: Path, path: str) -> tuple[Path, Path]:
    """A repository holding `infra/main.tf` whose HTTP API reads its body from `path`, and a folder outside."""
    repo, outside = tmp_path / "repo", tmp_path / "home"
    (repo / ".git").mkdir(parents=True)
    (repo / "infra").mkdir()
    (repo / "infra" / "main.tf").write_text(API.format(path=path))
    outside.mkdir()
    (outside / "secret.yaml").write_text(f"openapi: 3.0.1\ninfo: {{title: '{TOKEN}'}}\npaths: {{}}\n")
    return repo, outside


def test_a_file_outside_the_repository_is_not_read_and_says_so(tmp_path):
    repo, _ = repository(tmp_path, '"../../home/secret.yaml"')
    done = scan("--no-cache", "infra", cwd=repo)
    assert_outcome(done, 1, 'file("../../home/secret.yaml") is outside the repository: not read')
    assert TOKEN not in done.stdout + done.stderr


def test_a_link_out_of_the_repository_is_not_followed(tmp_path):
    repo, outside = repository(tmp_path, '"${path.module}/openapi.yaml"')
    (repo / "infra" / "openapi.yaml").symlink_to(outside / "secret.yaml")
    done = scan("--no-cache", "infra", cwd=repo)
    assert_outcome(done, 1, 'file("./openapi.yaml") is outside the repository: not read')
    assert TOKEN not in done.stdout + done.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on this platform")
def test_a_named_pipe_is_not_read_and_never_blocks(tmp_path):
    repo, _ = repository(tmp_path, '"${path.module}/openapi.yaml"')
    os.mkfifo(repo / "infra" / "openapi.yaml")
    assert_outcome(scan("--no-cache", "infra", cwd=repo), 1, "not a regular file (a named pipe): not read")


def test_a_missing_file_is_unknown(tmp_path):
    repo, _ = repository(tmp_path, '"${path.module}/generated/openapi.yaml"')
    assert_outcome(scan("--no-cache", "infra", cwd=repo), 1,
                   'file("./generated/openapi.yaml") does not exist in the repository')


def test_a_file_over_the_size_limit_is_not_read(tmp_path):
    repo, _ = repository(tmp_path, '"${path.module}/openapi.yaml"')
    (repo / "infra" / "openapi.yaml").write_text("openapi: 3.0.1\n" + "#" * 2_000_000 + "\n")
    assert_outcome(scan("--no-cache", "--max-file-size", "1M", "infra", cwd=repo), 1,
                   "is larger than the file size limit of 1 MiB: not read")


def test_a_huge_document_is_not_parsed(tmp_path):
    repo, _ = repository(tmp_path, '"${path.module}/openapi.yaml"')
    paths = "".join(f"  /p{n}:\n    get: {{}}\n" for n in range(120_000))
    (repo / "infra" / "openapi.yaml").write_text("openapi: 3.0.1\npaths:\n" + paths)
    assert_outcome(scan("--no-cache", "infra", cwd=repo), 1,
                   "the routes its body defines could not be read: a string of more than 1000000 characters")


def test_the_largest_document_read_is_judged_in_seconds(tmp_path):
    repo, _ = repository(tmp_path, '"${path.module}/openapi.yaml"')
    paths = "".join(f"  /p{n:05}:\n    get: {{}}\n" for n in range(40_000))  # just under the string limit
    (repo / "infra" / "openapi.yaml").write_text("openapi: 3.0.1\npaths:\n" + paths)
    assert_outcome(scan("--no-cache", "infra", cwd=repo, timeout=60), 1, "aws_apigatewayv2_api.http GET /p39999")


def test_a_deeply_nested_document_is_unknown(tmp_path):
    repo, _ = repository(tmp_path, '"${path.module}/openapi.yaml"')
    (repo / "infra" / "openapi.yaml").write_text("openapi: 3.0.1\nx: " + "[" * 50_000 + "]" * 50_000 + "\n")
    assert_outcome(scan("--no-cache", "infra", cwd=repo), 1, "the document is nested too deeply to read")


def test_python_tags_are_not_constructed(tmp_path):
    repo, _ = repository(tmp_path, '"${path.module}/openapi.yaml"')
    (repo / "infra" / "openapi.yaml").write_text("openapi: !!python/object/apply:os.system ['echo pwned']\n")
    done = scan("--no-cache", "infra", cwd=repo)
    assert_outcome(done, 1, "body is neither JSON nor YAML")
    assert "pwned" not in done.stdout.replace("echo pwned", "")
