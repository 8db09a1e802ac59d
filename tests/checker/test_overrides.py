"""Terraform's override files (`override.tf`, `*_override.tf`, and `.tf.json`) are merged last, as Terraform
merges them; a block declared twice in ordinary files is an error, as in Terraform (issue 13).

Before, an override file was read as one more ordinary file: whichever came last in file order won, so an
override that opened a method could be judged by the value it replaced.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gateaudit import cli
from gateaudit.model import Location
from gateaudit.modules import load

VARIABLE = '''variable "auth" {
  type    = string
  default = "AWS_IAM"
}
'''
METHOD = '''resource "aws_api_gateway_method" "m" {
  rest_api_id   = "a"
  resource_id   = "b"
  http_method   = "GET"
  authorization = %s
}
'''


def write(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def scan(folder: Path, *args: str) -> tuple[int, dict]:
    out = folder.parent / f"{folder.name}-report.json"
    code = cli.main(["scan", str(folder), "--no-cache", "--format", "json", "--output", str(out), *args])
    return code, json.loads(out.read_text())


def results(report: dict, rule_id: str = "GA101") -> list[tuple[str, str, str, int]]:
    return [(r["resource"], r["status"], r["file"], r["line"]) for r in report["results"] if r["rule_id"] == rule_id]


def errors(report: dict) -> list[str]:
    return [f"{e['file']}:{e['line']}: {e['message']}" for e in report["errors"]]


# ------------------------------------------------------------------------------------------- merging

@pytest.mark.parametrize(("name", "text"), [
    ("override.tf", 'variable "auth" {\n  default = "NONE"\n}\n'),
    ("api_override.tf", 'variable "auth" {\n  default = "NONE"\n}\n'),
    ("override.tf.json", json.dumps({"variable": {"auth": {"default": "NONE"}}}, indent=2)),
    ("api_override.tf.json", json.dumps({"variable": {"auth": {"default": "NONE"}}}, indent=2)),
])
def test_an_override_of_a_variable_default_opens_the_method(name, text, tmp_path):
    """The override is merged last, whatever its name sorts before: the method is open, as Terraform sees it."""
    folder = write(tmp_path / "tf", {"variables.tf": VARIABLE, "main.tf": METHOD % "var.auth", name: text})
    code, report = scan(folder)
    assert code == 1, errors(report)
    assert results(report) == [("aws_api_gateway_method.m", "failed", "main.tf", 1)]


def test_an_override_keeps_the_arguments_it_does_not_set(tmp_path):
    folder = write(tmp_path / "tf", {
        "variables.tf": 'variable "auth" {\n  type    = string\n  default = "NONE"\n}\n',
        "main.tf": METHOD % "var.auth",
        "auth_override.tf": 'variable "auth" {\n  description = "how callers are authorized"\n}\n',
    })
    code, report = scan(folder)
    assert code == 1 and results(report) == [("aws_api_gateway_method.m", "failed", "main.tf", 1)]


def test_a_resource_override_replaces_one_argument_and_points_at_the_override(tmp_path):
    folder = write(tmp_path / "tf", {"main.tf": METHOD % '"AWS_IAM"',
                                     "zz_override.tf": 'resource "aws_api_gateway_method" "m" {\n\n'
                                                       '  authorization = "NONE"\n}\n'})
    stack, problems = load([folder], use_cache=False)
    assert problems == []
    method = stack.resources("aws_api_gateway_method")[0]
    assert method.location == Location("main.tf", 1)
    assert method.get("authorization").location == Location("zz_override.tf", 3)
    assert method.get("http_method").location == Location("main.tf", 4)
    assert method.value("http_method") == "GET"
    code, report = scan(folder)
    assert code == 1 and results(report) == [("aws_api_gateway_method.m", "failed", "main.tf", 1)]


def test_later_overrides_win_by_file_name_then_by_position(tmp_path):
    folder = write(tmp_path / "tf", {
        "variables.tf": VARIABLE,
        "main.tf": METHOD % "var.auth",
        "a_override.tf": 'variable "auth" {\n  default = "NONE"\n}\n',
        "b_override.tf": 'variable "auth" {\n  default = "AWS_IAM"\n}\nvariable "auth" {\n  default = "NONE"\n}\n',
        "c_override.tf": 'variable "auth" {\n  description = "no default here"\n}\n',
    })
    code, report = scan(folder)
    assert code == 1 and results(report) == [("aws_api_gateway_method.m", "failed", "main.tf", 1)]


def test_locals_are_overridden_one_by_one(tmp_path):
    folder = write(tmp_path / "tf", {
        "main.tf": 'locals {\n  auth = "AWS_IAM"\n  method = "GET"\n}\n'
                   + (METHOD % "local.auth").replace('"GET"', "local.method"),
        "override.tf": 'locals {\n  auth = "NONE"\n}\n',
    })
    stack, problems = load([folder], use_cache=False)
    assert problems == []
    module = stack.modules[0]
    assert module.locals["auth"].location == Location("override.tf", 2)
    assert module.locals["method"].location == Location("main.tf", 3)
    code, report = scan(folder)
    assert code == 1 and results(report) == [("aws_api_gateway_method.m", "failed", "main.tf", 5)]


STAGE = '''resource "aws_api_gateway_stage" "s" {
  rest_api_id   = "a"
  deployment_id = "d"
  stage_name    = "prod"
  access_log_settings {
    destination_arn = "arn:aws:logs:us-east-1:123456789012:log-group:base"
    format          = "$context.requestId"
  }
  access_log_settings {
    destination_arn = "arn:aws:logs:us-east-1:123456789012:log-group:second"
    format          = "$context.requestId"
  }
  dynamic "canary_settings" {
    for_each = ["x"]
    content {
      percent_traffic = 10
    }
  }
  lifecycle {
    create_before_destroy = true
    ignore_changes        = [tags]
  }
}
'''


def test_nested_blocks_of_a_type_replace_all_of_that_type_and_lifecycle_merges_by_argument(tmp_path):
    folder = write(tmp_path / "tf", {"main.tf": STAGE, "override.tf": '''resource "aws_api_gateway_stage" "s" {
  access_log_settings {
    destination_arn = "arn:aws:logs:us-east-1:123456789012:log-group:override"
    format          = "$context.requestId"
  }
  canary_settings {
    percent_traffic = 50
  }
  lifecycle {
    create_before_destroy = false
  }
}
'''})
    stack, problems = load([folder], use_cache=False)
    assert problems == []
    stage = stack.resources("aws_api_gateway_stage")[0]
    logs = stage.blocks("access_log_settings")
    assert [b.value("destination_arn").rsplit(":", 1)[1] for b in logs] == ["override"]
    assert logs[0].location == Location("override.tf", 2)
    assert logs[0].get("destination_arn").location == Location("override.tf", 3)
    assert [(b.value("percent_traffic"), b.location) for b in stage.blocks("canary_settings")] == [
        (50, Location("override.tf", 6))]  # the dynamic block of that type is replaced too
    lifecycle = stage.blocks("lifecycle")
    assert len(lifecycle) == 1 and lifecycle[0].value("create_before_destroy") is False
    assert lifecycle[0].has("ignore_changes")
    assert lifecycle[0].get("create_before_destroy").location == Location("override.tf", 10)


def test_a_block_type_the_override_does_not_name_stays(tmp_path):
    folder = write(tmp_path / "tf", {"main.tf": STAGE,
                                     "override.tf": 'resource "aws_api_gateway_stage" "s" {\n'
                                                    '  stage_name = "live"\n}\n'})
    stack, problems = load([folder], use_cache=False)
    assert problems == []
    stage = stack.resources("aws_api_gateway_stage")[0]
    assert len(stage.blocks("access_log_settings")) == 2 and stage.value("stage_name") == "live"


def test_a_module_argument_from_an_override_is_reported_where_the_override_wrote_it(tmp_path):
    folder = write(tmp_path / "tf", {
        "main.tf": 'module "api" {\n  source  = "./api"\n  api_key = null\n}\n',
        "api/main.tf": 'variable "api_key" {\n  type    = string\n  default = null\n}\n',
        "override.tf": 'module "api" {\n  api_key = "3f9c1e0b7a2d4c6e8f1a3b5c7d9e0f2a"\n}\n',
    })
    code, report = scan(folder)
    assert code == 1
    assert results(report, "GA203") == [("module.api.var.api_key", "failed", "override.tf", 2)]


def test_an_overridden_module_source_loads_the_new_folder_and_leaves_the_old_one_a_root(tmp_path):
    folder = write(tmp_path / "tf", {
        "main.tf": 'module "api" {\n  source = "./guarded"\n}\n',
        "override.tf": 'module "api" {\n  source = "./open"\n}\n',
        "guarded/main.tf": METHOD % '"AWS_IAM"',
        "open/main.tf": METHOD % '"NONE"',
    })
    code, report = scan(folder)
    assert code == 1
    assert results(report) == [("aws_api_gateway_method.m", "passed", "guarded/main.tf", 1),
                               ("module.api.aws_api_gateway_method.m", "failed", "open/main.tf", 1)]


def test_a_default_provider_may_be_declared_by_an_override_alone(tmp_path):
    folder = write(tmp_path / "tf", {"main.tf": METHOD % '"AWS_IAM"',
                                     "override.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n'})
    stack, problems = load([folder], use_cache=False)
    assert problems == [] and [b.address for b in stack.blocks(kind="provider")] == ["provider.aws"]


def test_terraform_settings_merge_by_setting(tmp_path):
    folder = write(tmp_path / "tf", {
        "main.tf": 'terraform {\n  required_version = ">= 1.5"\n  required_providers {\n'
                   '    aws = {\n      source = "hashicorp/aws"\n    }\n'
                   '    random = {\n      source = "hashicorp/random"\n    }\n  }\n}\n',
        "override.tf": 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n'
                       '      version = "~> 6.0"\n    }\n  }\n}\n',
    })
    stack, problems = load([folder], use_cache=False)
    assert problems == []
    [settings] = list(stack.blocks(kind="terraform"))
    assert settings.value("required_version") == ">= 1.5"
    [providers] = settings.blocks("required_providers")
    assert providers.value("aws") == {"source": "hashicorp/aws", "version": "~> 6.0"}
    assert providers.value("random") == {"source": "hashicorp/random"}


# -------------------------------------------------------------------------------------------- errors

@pytest.mark.parametrize(("text", "message"), [
    ('variable "missing" {\n  default = "NONE"\n}\n',
     'override.tf:1: var.missing is overridden but not declared in this module\'s other files'),
    ('locals {\n  x = 1\n  missing = "NONE"\n}\n',
     "override.tf:3: local.missing is overridden but not declared in this module's other files"),
    ('resource "aws_api_gateway_method" "other" {\n  authorization = "NONE"\n}\n',
     "override.tf:1: aws_api_gateway_method.other is overridden but not declared in this module's other files"),
    ('data "aws_iam_policy_document" "p" {\n}\n',
     "override.tf:1: data.aws_iam_policy_document.p is overridden but not declared in this module's other files"),
    ('output "o" {\n  value = 1\n}\n',
     "override.tf:1: output.o is overridden but not declared in this module's other files"),
    ('module "m" {\n  source = "./x"\n}\n',
     "override.tf:1: module.m is overridden but not declared in this module's other files"),
    ('provider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n',
     "override.tf:1: provider.aws.west is overridden but not declared in this module's other files"),
    ('resource "aws_api_gateway_method" "m" {\n  depends_on = []\n}\n',
     "override.tf:2: depends_on cannot be overridden (aws_api_gateway_method.m)"),
    ('moved {\n  from = aws_api_gateway_method.a\n  to   = aws_api_gateway_method.m\n}\n',
     'override.tf:1: a "moved" block cannot be in an override file'),
], ids=["variable", "local", "resource", "data", "output", "module", "aliased_provider", "depends_on", "moved"])
def test_an_override_of_nothing_is_an_error(text, message, tmp_path):
    folder = write(tmp_path / "tf", {"main.tf": 'locals {\n  x = 0\n}\n' + METHOD % '"AWS_IAM"',
                                     "override.tf": text})
    code, report = scan(folder)
    assert code == 2 and message in errors(report)


@pytest.mark.parametrize(("first", "second", "message"), [
    (VARIABLE, VARIABLE, "b.tf:1: var.auth is declared twice (first at a.tf:1)"),
    ('output "o" {\n  value = 1\n}\n', 'output "o" {\n  value = 2\n}\n',
     "b.tf:1: output.o is declared twice (first at a.tf:1)"),
    ('locals {\n  x = 1\n}\n', '\nlocals {\n  x = 2\n}\n', "b.tf:3: local.x is declared twice (first at a.tf:2)"),
    ('module "m" {\n  source = "./m"\n}\n', 'module "m" {\n  source = "./m"\n}\n',
     "b.tf:1: module.m is declared twice (first at a.tf:1)"),
    (METHOD % '"AWS_IAM"', METHOD % '"NONE"',
     "b.tf:1: aws_api_gateway_method.m is declared twice (first at a.tf:1)"),
    ('provider "aws" {\n  region = "us-east-1"\n}\n', 'provider "aws" {\n  region = "eu-west-1"\n}\n',
     "b.tf:1: provider.aws is declared twice (first at a.tf:1)"),
], ids=["variable", "output", "local", "module", "resource", "provider"])
def test_a_declaration_twice_in_ordinary_files_is_an_error_naming_both(first, second, message, tmp_path):
    folder = write(tmp_path / "tf", {"a.tf": first, "b.tf": second, "m/main.tf": ""})
    code, report = scan(folder)
    assert code == 2 and message in errors(report)
