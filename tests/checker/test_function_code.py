"""Finding a Lambda function's code from its Terraform (issue 17, "Finding the code"): the folder an
`archive_file` zips, a zip in the repository, the module's own folder; and, where the code cannot be read,
an Unknown saying why, never an empty package."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from gateaudit.function_code import locate
from gateaudit.model import FunctionCode, Unknown
from gateaudit.modules import load

HANDLER = 'def handler(event, context):\n    return {"isAuthorized": False}\n'


def function(tmp_path: Path, arguments: str, files: dict[str, str | bytes] | None = None, extra: str = ""):
    """The `aws_lambda_function.auth` of a repository whose `infra` root writes it with these arguments."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True, exist_ok=True)
    for name, content in (files or {}).items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    (repo / "infra").mkdir(exist_ok=True)
    (repo / "infra" / "main.tf").write_text(f'resource "aws_lambda_function" "auth" {{\n  function_name = "auth"\n'
                                            f'  role = "arn:aws:iam::123456789012:role/r"\n{arguments}\n}}\n{extra}')
    stack, errors = load([repo / "infra"], repository=repo, use_cache=False)
    assert errors == []
    [block] = stack.resources("aws_lambda_function")
    return block


def zipped(members: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in members.items():
            archive.writestr(name, text)
    return buffer.getvalue()


PYTHON = '  runtime = "python3.12"\n  handler = "handler.handler"\n'


def test_the_folder_an_archive_file_zips(tmp_path):
    code = locate(function(tmp_path, PYTHON + "  filename = data.archive_file.auth.output_path\n",
                           {"src/auth/handler.py": HANDLER, "src/auth/keys.py": "KEY_HEADER = 'x-api-key'\n",
                            "src/auth/node_modules/x.py": "", "src/auth/README.md": "docs"},
                           'data "archive_file" "auth" {\n  type = "zip"\n'
                           '  source_dir = "${path.module}/../src/auth"\n  output_path = "auth.zip"\n}\n'))
    assert isinstance(code, FunctionCode)
    assert (code.language, [f.name for f in code.files]) == ("python", ["handler.py", "keys.py"])
    entry, name = code.entry()
    assert (entry.shown, entry.text, name) == ("../src/auth/handler.py", HANDLER, "handler")
    assert code.read_from == "../src/auth, zipped by data.archive_file.auth"


def test_an_archive_files_source_blocks_are_the_code(tmp_path):
    code = locate(function(tmp_path, PYTHON + "  filename = data.archive_file.auth.output_path\n", extra=(
        'data "archive_file" "auth" {\n  type = "zip"\n  output_path = "auth.zip"\n'
        f'  source {{\n    filename = "handler.py"\n    content = {json.dumps(HANDLER)}\n  }}\n}}\n')))
    assert [(f.name, f.text) for f in code.files] == [("handler.py", HANDLER)]


def test_the_members_of_a_zip_in_the_repository(tmp_path):
    code = locate(function(tmp_path, PYTHON + '  filename = "../build/auth.zip"\n',
                           {"build/auth.zip": zipped({"handler.py": HANDLER, "lib/util.py": "", "data.json": "{}"})}))
    assert [(f.name, f.shown) for f in code.files] == [("handler.py", "../build/auth.zip!/handler.py"),
                                                       ("lib/util.py", "../build/auth.zip!/lib/util.py")]
    assert code.read_from == "the zip ../build/auth.zip"


def test_the_module_folder_holding_the_handler_when_the_zip_is_built_by_ci(tmp_path):
    code = locate(function(tmp_path, PYTHON + '  filename = "auth.zip"\n', {"infra/handler.py": HANDLER}))
    assert [f.shown for f in code.files] == ["handler.py"]
    assert code.read_from == "the folder ."


def test_a_node_handler_in_any_of_its_file_kinds(tmp_path):
    code = locate(function(tmp_path, '  runtime = "nodejs20.x"\n  handler = "index.handler"\n  filename = "x.zip"\n',
                           {"infra/index.mjs": "export const handler = async () => ({isAuthorized: false});\n"}))
    entry, name = code.entry()
    assert (code.language, entry.name, name) == ("node", "index.mjs", "handler")


@pytest.mark.parametrize(("arguments", "files", "reason"), [
    (PYTHON + '  s3_bucket = "code"\n  s3_key = "auth.zip"\n', {}, "its package is an S3 object"),
    ('  package_type = "Image"\n  image_uri = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/auth:1"\n', {},
     "it runs a container image"),
    ('  runtime = "java21"\n  handler = "Auth::handle"\n  filename = "auth.jar"\n', {}, "its runtime is java21"),
    ('  runtime = var.runtime\n  handler = "handler.handler"\n  filename = "auth.zip"\n', {},
     "its runtime cannot be resolved"),
    (PYTHON + '  filename = "auth.zip"\n', {}, "its package auth.zip does not exist in the repository"),
    (PYTHON + '  filename = "../../outside.zip"\n', {}, "its package ../../outside.zip is outside the repository"),
    (PYTHON + '  filename = "auth.zip"\n', {"infra/auth.zip": b"not a zip"}, "is not a zip archive"),
])
def test_code_that_cannot_be_read_is_unknown_saying_why(tmp_path, arguments, files, reason):
    extra = 'variable "runtime" {\n  type = string\n}\n'
    found = locate(function(tmp_path, arguments, files, extra))
    assert isinstance(found, Unknown)
    assert reason in found.reason, found.reason


def test_a_zip_member_over_the_size_limit_is_not_read_whatever_its_header_says(tmp_path):
    big = "x = 1\n" * (2 * 1024 * 1024)  # 12 MB of source: over the 10 MB file limit, compressed to a few KB
    found = locate(function(tmp_path, PYTHON + '  filename = "auth.zip"\n',
                            {"infra/auth.zip": zipped({"handler.py": HANDLER, "big.py": big})}))
    assert isinstance(found, Unknown) and "holds big.py, larger than the file size limit" in found.reason


def test_an_archive_file_outside_the_repository_is_not_read(tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "elsewhere" / "handler.py").write_text(HANDLER)
    found = locate(function(tmp_path, PYTHON + "  filename = data.archive_file.auth.output_path\n", extra=(
        'data "archive_file" "auth" {\n  type = "zip"\n  source_dir = "../../elsewhere"\n'
        '  output_path = "auth.zip"\n}\n')))
    assert isinstance(found, Unknown) and "is outside the repository" in found.reason
