"""Which code the reference stack deploys, as gateaudit reads it from the Terraform: each root's authorizer runs
the entry point that answers only its API's shape (`handler.rest_handler`, `handler.http_handler`), and its code
is found in the zip the function names, stack/build/authorizer.zip (built for the tests by tests/conftest.py as
`make package` builds it), so the code rules judge the code that is deployed."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from gateaudit.function_code import locate
from gateaudit.model import Block, FunctionCode, Unknown
from gateaudit.modules import load

ROOT = Path(__file__).resolve().parents[2]
AUTHORIZER_SOURCE = ROOT / "stack" / "authorizer" / "handler.py"


def function(folder: Path, address: str, repository: Path = ROOT) -> Block:
    stack, errors = load([folder], repository=repository, use_cache=False)
    assert errors == []
    [found] = [block for block in stack.resources("aws_lambda_function") if block.address == address]
    return found


@pytest.mark.parametrize(("root", "entry_point"), [("rest", "rest_handler"), ("http", "http_handler")])
def test_each_root_deploys_its_apis_entry_point_from_the_built_zip(root: str, entry_point: str) -> None:
    authorizer = function(ROOT / "stack" / "terraform" / root, "module.authorizer.aws_lambda_function.this")
    assert authorizer.value("handler") == f"handler.{entry_point}"
    code = locate(authorizer)
    assert not isinstance(code, Unknown), code.reason
    assert isinstance(code, FunctionCode) and code.read_from == "the zip ../../build/authorizer.zip"
    entry, name = code.entry()
    assert entry is not None and entry.shown == "../../build/authorizer.zip!/handler.py"
    assert entry.text == AUTHORIZER_SOURCE.read_text(encoding="utf-8"), "the zip is stale: run `make package`"
    defined = {node.name for node in ast.parse(entry.text).body if isinstance(node, ast.FunctionDef)}
    assert name == entry_point and name in defined


def test_the_module_alone_follows_response_format_and_its_default_auto() -> None:
    authorizer = function(ROOT / "stack" / "terraform" / "modules" / "api-key-authorizer", "aws_lambda_function.this")
    assert authorizer.value("handler") == "handler.handler"


@pytest.mark.parametrize(("arguments", "expected"), [
    ('response_format = "http"', "handler.http_handler"),
    ('response_format = "rest"\n  handler = "handler.handler"', "handler.handler"),
    ('response_format = "auto"\n  handler = "custom.entry"', "custom.entry"),
])
def test_the_handler_variable_overrides_the_entry_point(tmp_path: Path, arguments: str, expected: str) -> None:
    repository = tmp_path / "repo"
    (repository / ".git").mkdir(parents=True)
    shutil.copytree(ROOT / "stack" / "terraform" / "modules", repository / "modules")
    (repository / "root").mkdir()
    (repository / "root" / "main.tf").write_text(
        'module "authorizer" {\n  source = "../modules/api-key-authorizer"\n  name = "custom-authorizer"\n'
        f'  secret_name = "custom/api-key"\n  package_path = "authorizer.zip"\n  {arguments}\n}}\n')
    authorizer = function(repository / "root", "module.authorizer.aws_lambda_function.this", repository)
    assert authorizer.value("handler") == expected
