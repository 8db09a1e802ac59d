"""Blocks carry Terraform's addresses, the file relative to the scanned path, and 1-based lines."""

from pathlib import Path

from gateaudit.modules import load

ROOT = '''terraform {
  required_version = ">= 1.11"
}

provider "aws" {
  region = "us-east-1"
}

variable "name" {
  default = "fit"
}

locals {
  fn = "${var.name}-auth"
}

module "api" {
  source = "./modules/api"
  name   = local.fn
}

module "remote" {
  source  = "terraform-aws-modules/lambda/aws"
  version = "7.0.0"
}

data "aws_iam_policy_document" "x" {
}

output "function" {
  value = module.api.function_name
}
'''

CHILD = '''variable "name" {}

resource "aws_lambda_function" "auth" {
  function_name = var.name
}

output "function_name" {
  value = aws_lambda_function.auth.function_name
}
'''


def test_addresses_files_and_lines(tmp_path: Path):
    (tmp_path / "main.tf").write_text(ROOT)
    (tmp_path / "modules" / "api").mkdir(parents=True)
    (tmp_path / "modules" / "api" / "main.tf").write_text(CHILD)
    stack, errors = load([tmp_path])
    assert errors == []
    where = {b.address: (b.kind, str(b.location)) for b in stack.blocks()}
    assert where == {
        "terraform": ("terraform", "main.tf:1"),
        "provider.aws": ("provider", "main.tf:5"),
        "var.name": ("variable", "main.tf:9"),
        "locals": ("locals", "main.tf:13"),
        "module.api": ("module", "main.tf:17"),
        "module.remote": ("module", "main.tf:22"),
        "data.aws_iam_policy_document.x": ("data", "main.tf:27"),
        "output.function": ("output", "main.tf:30"),
        "module.api.var.name": ("variable", "modules/api/main.tf:1"),
        "module.api.aws_lambda_function.auth": ("resource", "modules/api/main.tf:3"),
        "module.api.output.function_name": ("output", "modules/api/main.tf:7"),
    }
    function = next(b for b in stack.blocks() if b.type == "aws_lambda_function")
    assert function.get("function_name").location.line == 4
    assert function.value("function_name") == "fit-auth"
    root_output = next(b for b in stack.blocks() if b.address == "output.function")
    assert root_output.value("value") == "fit-auth"
    assert [(n.address, n.source) for n in stack.not_scanned] == [
        ("module.remote", "terraform-aws-modules/lambda/aws")]


def test_a_module_folder_scanned_alone_is_a_root(tmp_path: Path):
    (tmp_path / "main.tf").write_text(CHILD)
    stack, errors = load([tmp_path])
    assert errors == []
    function = next(stack.blocks(kind="resource"))
    assert function.address == "aws_lambda_function.auth"
    assert function.value("function_name").reason.startswith("var.name has no value")


def test_module_cycles_are_errors(tmp_path: Path):
    (tmp_path / "main.tf").write_text('module "again" {\n  source = "./"\n}\n')
    _, errors = load([tmp_path])
    assert [(e.file, e.line) for e in errors] == [("main.tf", 2)]
    assert "module cycle" in errors[0].message


def test_hidden_and_terraform_folders_are_skipped(tmp_path: Path):
    (tmp_path / "main.tf").write_text('locals {\n  a = 1\n}\n')
    for skipped in (".terraform/modules/x", ".git"):
        (tmp_path / skipped).mkdir(parents=True)
        (tmp_path / skipped / "broken.tf").write_text("this is not terraform {")
    stack, errors = load([tmp_path])
    assert errors == [] and stack.files == ["main.tf"]


def test_folders_calling_each_other_are_reported_not_dropped(tmp_path: Path):
    for name, other in (("a", "b"), ("b", "a")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "main.tf").write_text(f'module "{other}" {{\n  source = "../{other}"\n}}\n')
    _, errors = load([tmp_path])
    assert len(errors) == 1 and "module cycle" in errors[0].message


def test_same_and_the_three_valued_helpers_never_ask_an_unknown_for_its_truth():
    from gateaudit.model import Unknown, all_true, any_true, same

    later = Unknown("aws_apigatewayv2_api.http.id is known only after apply")
    unset = Unknown("var.m has no value")
    assert same(later, "x") is later  # an Unknown first used to raise: `or` asked it for its truth
    assert same("x", unset) is unset
    assert same("GET", "GET") is True and same("GET", "POST") is False
    assert all_true(True, unset, False) is False  # one False decides, whatever else is unknown
    assert all_true(True, unset) is unset
    assert all_true(True, True) is True
    assert any_true(False, unset, True) is True
    assert any_true(False, unset) is unset
    assert any_true(False, False) is False
