"""How module calls find their folders (issue 15): registry and git modules `terraform init` downloaded,
`count`/`for_each` on module calls, and local folders that are not there.

`.terraform/modules/modules.json` is the scanned tree's own file: what it says is followed only inside the
repository root, and a record that cannot be used leaves the call "not scanned", saying why.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from gateaudit.engine import run_rules
from gateaudit.model import Unknown
from gateaudit.modules import load
from gateaudit.rules import load_rules
from gateaudit.settings import Settings

REGISTRY = "terraform-aws-modules/apigateway-v2/aws"
CALL = f'module "api_gateway" {{\n  source  = "{REGISTRY}"\n  version = "5.0.0"\n}}\n'
OPEN_ROUTE = '''resource "aws_apigatewayv2_route" "this" {
  api_id             = "a1b2c3"
  route_key          = "GET /"
  authorization_type = "NONE"
}
'''
RULES = {loaded.rule.id: loaded for loaded in load_rules()}


def tree(tmp_path: Path, modules: list[dict] | str | None, downloaded: str = OPEN_ROUTE) -> Path:
    """A repository whose `infra` root calls a registry module, laid out as `terraform init` lays it out."""
    repo = tmp_path / "repo"
    infra = repo / "infra"
    (repo / ".git").mkdir(parents=True)
    (infra / ".terraform" / "modules" / "api_gateway").mkdir(parents=True)
    (infra / "main.tf").write_text(CALL)
    (infra / ".terraform" / "modules" / "api_gateway" / "main.tf").write_text(downloaded)
    if modules is not None:
        text = modules if isinstance(modules, str) else json.dumps({"Modules": modules})
        (infra / ".terraform" / "modules" / "modules.json").write_text(text)
    return repo


def recorded(source: str = f"registry.terraform.io/{REGISTRY}", folder: str = ".terraform/modules/api_gateway",
             key: str = "api_gateway") -> list[dict]:
    return [{"Key": "", "Source": "", "Dir": "."}, {"Key": key, "Source": source, "Version": "5.0.0", "Dir": folder}]


def scanned(repo: Path, **options) -> tuple[list[tuple[str, str, str, int]], list, list[str]]:
    """(rule, status, address, line) of GA100 and GA102, the modules not scanned (address, reason), the errors."""
    stack, errors = load([repo / "infra"], repository=repo, use_cache=False, **options)
    results, rule_errors = run_rules(stack, [RULES["GA100"], RULES["GA102"]], Settings())
    assert not rule_errors
    found = sorted((r.rule_id, r.status.value, r.resource, r.line) for r in results)
    return found, [(gap.address, gap.reason) for gap in stack.not_scanned], [str(e) for e in errors]


def test_a_downloaded_registry_module_is_judged_at_its_own_lines(tmp_path):
    found, gaps, errors = scanned(tree(tmp_path, recorded()))
    assert (errors, gaps) == ([], [])
    assert found == [("GA102", "failed", "module.api_gateway.aws_apigatewayv2_route.this", 1)]


@pytest.mark.parametrize(("written", "recorded_as"), [
    ("github.com/acme/api-module?ref=v1.2.0", "git::https://github.com/acme/api-module.git?ref=v1.2.0"),
    ("git::https://example.com/acme/api.git//modules/http?ref=v2", "git::https://example.com/acme/api.git//modules/http?ref=v2"),
    ("terraform-aws-modules/apigateway-v2/aws//modules/route", f"registry.terraform.io/{REGISTRY}//modules/route"),
])
def test_a_source_is_matched_as_terraform_init_records_it(written, recorded_as, tmp_path):
    repo = tree(tmp_path, recorded(source=recorded_as))
    (repo / "infra" / "main.tf").write_text(f'module "api_gateway" {{\n  source = "{written}"\n}}\n')
    found, gaps, errors = scanned(repo)
    assert (errors, gaps) == ([], [])
    assert found == [("GA102", "failed", "module.api_gateway.aws_apigatewayv2_route.this", 1)]


def test_a_module_not_downloaded_asks_for_terraform_init(tmp_path):
    repo = tree(tmp_path, None)
    found, gaps, errors = scanned(repo)
    assert errors == []
    assert gaps == [("module.api_gateway", "run `terraform init` first")]
    assert found == [("GA100", "unknown", "module.api_gateway", 1)]


def test_the_coverage_message_names_the_call_its_source_and_the_fix(tmp_path):
    stack, _ = load([tree(tmp_path, None) / "infra"], repository=tmp_path / "repo", use_cache=False)
    [result] = run_rules(stack, [RULES["GA100"]], Settings())[0]
    assert result.message.startswith(f"module.api_gateway ({REGISTRY}) was not scanned: run `terraform init` first")


@pytest.mark.parametrize(("modules", "why"), [
    (recorded(source="registry.terraform.io/other/module/aws"), "not from this source (a stale"),
    (recorded(key="other"), "not in .terraform/modules/modules.json): run `terraform init` again"),
    (recorded()[:1], "not in .terraform/modules/modules.json): run `terraform init` again"),
    ("{not json", "modules.json is not valid JSON: run `terraform init` again"),
    ('{"Modules": 3}', 'holds no "Modules" list'),
    ("[" * 100_000, "not valid JSON"),
    (recorded(folder="."), "puts it in '.', a folder that calls it"),
    ([{"Key": "api_gateway", "Source": f"registry.terraform.io/{REGISTRY}", "Version": "4.9.0",
       "Dir": ".terraform/modules/api_gateway"}], "downloaded version '4.9.0', not '5.0.0'"),
])
def test_a_record_that_cannot_be_used_leaves_the_call_not_scanned(modules, why, tmp_path):
    found, gaps, errors = scanned(tree(tmp_path, modules))
    assert errors == []
    [(address, reason)] = gaps
    assert address == "module.api_gateway" and why in reason and "terraform init" in reason
    assert found == [("GA100", "unknown", "module.api_gateway", 1)]


def test_an_oversized_record_is_not_read(tmp_path):
    repo = tree(tmp_path, recorded())
    path = repo / "infra" / ".terraform" / "modules" / "modules.json"
    path.write_text(path.read_text() + " " * 2000)
    _, gaps, errors = scanned(repo, max_file_size=1024)
    assert errors == []
    assert "larger than the file size limit of 1 KiB" in gaps[0][1]


def test_a_recorded_folder_outside_the_repository_is_never_read(tmp_path):
    outside = tmp_path / "home" / "module"
    outside.mkdir(parents=True)
    (outside / "main.tf").write_text(OPEN_ROUTE)
    found, gaps, errors = scanned(tree(tmp_path, recorded(folder="../../home/module")))
    assert errors == []
    assert gaps == [("module.api_gateway", ".terraform/modules/modules.json puts it in '../../home/module', outside "
                                           f"the repository root {tmp_path / 'repo'}: not read")]
    assert found == [("GA100", "unknown", "module.api_gateway", 1)]


def test_a_record_linked_out_of_the_repository_is_not_read(tmp_path):
    repo = tree(tmp_path, None)
    elsewhere = tmp_path / "home" / "modules.json"
    elsewhere.parent.mkdir()
    elsewhere.write_text(json.dumps({"Modules": recorded()}))
    (repo / "infra" / ".terraform" / "modules" / "modules.json").symlink_to(elsewhere)
    _, gaps, errors = scanned(repo)
    assert errors == []
    assert "outside the repository root" in gaps[0][1] and "run `terraform init` again" in gaps[0][1]


def test_a_local_source_inside_a_downloaded_module_resolves_from_the_download(tmp_path):
    downloaded = 'module "routes" {\n  source = "./modules/routes"\n}\n'
    repo = tree(tmp_path, [*recorded(), {"Key": "api_gateway.routes", "Source": "./modules/routes",
                                         "Dir": ".terraform/modules/api_gateway/modules/routes"}], downloaded)
    routes = repo / "infra" / ".terraform" / "modules" / "api_gateway" / "modules" / "routes"
    routes.mkdir(parents=True)
    (routes / "main.tf").write_text(OPEN_ROUTE)
    found, gaps, errors = scanned(repo)
    assert (errors, gaps) == ([], [])
    assert found == [("GA102", "failed", "module.api_gateway.module.routes.aws_apigatewayv2_route.this", 1)]


def test_a_remote_call_inside_a_local_module_is_found_by_its_key_path(tmp_path):
    repo = tree(tmp_path, recorded(key="api.api_gateway"))
    (repo / "infra" / "main.tf").write_text('module "api" {\n  source = "./modules/api"\n}\n')
    (repo / "infra" / "modules" / "api").mkdir(parents=True)
    (repo / "infra" / "modules" / "api" / "main.tf").write_text(CALL)
    found, gaps, errors = scanned(repo)
    assert (errors, gaps) == ([], [])
    assert found == [("GA102", "failed", "module.api.module.api_gateway.aws_apigatewayv2_route.this", 1)]


# ------------------------------------------------------------------------------ local folders not there

def test_a_local_module_folder_that_does_not_exist_is_not_scanned_not_an_error(tmp_path):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "infra").mkdir()
    (repo / "infra" / "main.tf").write_text('module "api" {\n  source = "../modules/api"\n}\n')
    stack, errors = load([repo / "infra"], repository=repo, use_cache=False)
    assert errors == []
    [gap] = stack.not_scanned
    assert (gap.address, gap.source) == ("module.api", "../modules/api")
    assert "does not exist" in gap.reason


# ------------------------------------------------------------------------------ the real terraform init

def test_terraform_init_lays_out_what_gateaudit_reads(tmp_path, capsys):
    """`terraform init -backend=false` downloads a git module (offline: a `git::file://` repository made here)."""
    terraform, git, helpers = shutil.which("terraform"), shutil.which("git"), _offline_terraform()
    mirror = helpers.find_provider_mirror()
    if terraform is None or git is None or mirror is None:
        why = "terraform, git or the offline hashicorp/aws mirror is missing (see tests/stack/conftest.py)"
        with capsys.disabled():
            print(f"\nskipped: {why}; the modules.json fixtures stand in for it")
        pytest.skip(why)
    (tmp_path / "offline.tfrc").write_text(helpers.cli_config(mirror))
    source = tmp_path / "source"
    (source / "modules" / "routes").mkdir(parents=True)
    (source / "main.tf").write_text('module "routes" {\n  source = "./modules/routes"\n}\n')
    (source / "modules" / "routes" / "main.tf").write_text(OPEN_ROUTE)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "TF_IN_AUTOMATION": "1", "CHECKPOINT_DISABLE": "1",
           "TF_CLI_CONFIG_FILE": str(tmp_path / "offline.tfrc")}
    for scrubbed in ("TF_DATA_DIR", "TF_CLI_ARGS", "TF_CLI_ARGS_init"):  # they would move or change the download
        env.pop(scrubbed, None)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "module"]):
        subprocess.run([git, *command], cwd=source, check=True, env=env, capture_output=True)
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "infra").mkdir()
    (repo / "infra" / "main.tf").write_text(f'module "api_gateway" {{\n  source = "git::file://{source}"\n}}\n')
    done = subprocess.run([terraform, "init", "-backend=false", "-input=false", "-no-color"], cwd=repo / "infra",
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    found, gaps, errors = scanned(repo)
    assert (errors, gaps) == ([], [])
    assert found == [("GA102", "failed", "module.api_gateway.module.routes.aws_apigatewayv2_route.this", 1)]
    stack, _ = load([repo / "infra"], repository=repo, use_cache=False)
    route = stack.resources("aws_apigatewayv2_route")[0]
    assert route.location.file == ".terraform/modules/api_gateway/modules/routes/main.tf"


def _offline_terraform():
    """tests/stack/conftest.py's offline Terraform helpers (provider mirror, CLI config), imported by path."""
    path = Path(__file__).resolve().parents[1] / "stack" / "conftest.py"
    spec = importlib.util.spec_from_file_location("gateaudit_tests_stack_conftest", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules[spec.name]


# ------------------------------------------------------------------------------ count and for_each on calls

ROUTE_MODULE = '''variable "api_id" {
  type = string
}

variable "route" {
  type = string
}

variable "authorization_type" {
  type = string
}

resource "aws_apigatewayv2_route" "this" {
  api_id             = var.api_id
  route_key          = var.route
  authorization_type = var.authorization_type
}

output "route" {
  value = aws_apigatewayv2_route.this.route_key
}

output "api" {
  value = var.api_id
}
'''
LOOPED = '''resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
}

module "routes" {
  source   = "./modules/route"
  for_each = {
    orders = "AWS_IAM"
    health = "NONE"
  }
  api_id             = aws_apigatewayv2_api.http.id
  route              = "GET /${each.key}"
  authorization_type = each.value
}

module "counted" {
  source             = "./modules/route"
  count              = 2
  api_id             = aws_apigatewayv2_api.http.id
  route              = "GET /v${count.index}"
  authorization_type = "AWS_IAM"
}

module "none" {
  source             = "./modules/route"
  count              = 0
  api_id             = aws_apigatewayv2_api.http.id
  route              = "GET /none"
  authorization_type = "NONE"
}

locals {
  orders   = module.routes["orders"].route
  routes   = { for key, routes in module.routes : key => routes.route }
  counted  = module.counted[*].route
  second   = module.counted[1].route
  none     = length(module.none)
  api      = module.routes["health"].api
}
'''


def looped(tmp_path: Path, main: str = LOOPED) -> Path:
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "infra" / "modules" / "route").mkdir(parents=True)
    (repo / "infra" / "main.tf").write_text(main)
    (repo / "infra" / "modules" / "route" / "main.tf").write_text(ROUTE_MODULE)
    return repo


def test_each_instance_of_a_looped_call_is_judged_with_its_own_key(tmp_path):
    found, gaps, errors = scanned(looped(tmp_path))
    assert (errors, gaps) == ([], [])
    assert [f for f in found if f[0] == "GA102"] == [  # the open route fails at the call's entry that opens it
        ("GA102", "failed", 'module.routes["health"].aws_apigatewayv2_route.this', 10),
        ("GA102", "passed", "aws_apigatewayv2_api.http", 1),
        ("GA102", "passed", "module.counted[0].aws_apigatewayv2_route.this", 13),
        ("GA102", "passed", "module.counted[1].aws_apigatewayv2_route.this", 13),
        ("GA102", "passed", 'module.routes["orders"].aws_apigatewayv2_route.this', 13),
    ]


def test_outputs_of_instances_evaluate_and_their_references_are_followed(tmp_path):
    stack, errors = load([looped(tmp_path) / "infra"], repository=tmp_path / "repo", use_cache=False)
    assert errors == []
    values = {name: local.value for name, local in stack.modules[0].locals.items()}
    assert isinstance(values.pop("api"), Unknown)  # the API's id: known after apply
    assert values == {"orders": "GET /orders", "routes": {"health": "GET /health", "orders": "GET /orders"},
                      "counted": ["GET /v0", "GET /v1"], "second": "GET /v1", "none": 0}
    assert [r.block.address for r in stack.modules[0].locals["api"].references] == [
        'module.routes["health"].var.api_id', "aws_apigatewayv2_api.http"]


def test_an_unknown_for_each_on_a_call_gives_one_instance_whose_keys_are_unknown(tmp_path):
    main = LOOPED.replace('''for_each = {
    orders = "AWS_IAM"
    health = "NONE"
  }''', "for_each = var.routes").replace("locals {", 'variable "routes" {\n  type = map(string)\n}\n\nlocals {')
    main = main[:main.index("locals {")]
    found, _, errors = scanned(looped(tmp_path, main))
    assert errors == []
    [unknown] = [f for f in found if f[2].startswith("module.routes")]
    assert unknown == ("GA102", "unknown", "module.routes.aws_apigatewayv2_route.this", 13)


def _gateaudit(*args: str, cwd: Path) -> tuple[int, dict]:
    done = subprocess.run([sys.executable, "-m", "gateaudit", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)
    return done.returncode, json.loads(done.stdout) if "--format" in args else {}


def _ga102(report: dict) -> dict[str, str]:
    return {r["resource"]: r["status"] for r in report["results"] if r["rule_id"] == "GA102"}


def test_a_config_exemption_names_one_instance_by_its_address(tmp_path):
    repo = looped(tmp_path)
    (repo / ".gateaudit.toml").write_text("[[exemptions]]\n"
                                          """resources = 'module.routes["health"].aws_apigatewayv2_route.this'\n"""
                                          'rules = ["GA102"]\nreason = "public health check"\n')
    code, report = _gateaudit("scan", "--no-cache", "--format", "json", "infra", cwd=repo)
    assert _ga102(report)['module.routes["health"].aws_apigatewayv2_route.this'] == "suppressed"
    assert code == 0


def test_a_baseline_accepts_the_finding_of_one_instance(tmp_path):
    repo = looped(tmp_path)
    code, _ = _gateaudit("baseline", "infra", "--output", "baseline.json", cwd=repo)
    assert code == 0
    assert 'module.routes[\\"health\\"].aws_apigatewayv2_route.this' in (repo / "baseline.json").read_text()
    code, report = _gateaudit("scan", "--no-cache", "--format", "json", "--baseline", "baseline.json", "infra",
                              cwd=repo)
    assert code == 0
    assert _ga102(report)['module.routes["health"].aws_apigatewayv2_route.this'] == "suppressed"


# ------------------------------------------------------------------------------ shared files linked into roots

SHARED = '''module "api" {
  source = "../../modules/api"
  stage  = var.stage
}

resource "aws_api_gateway_method" "health" {
  rest_api_id   = module.api.id
  resource_id   = module.api.root
  http_method   = "GET"
  authorization = "NONE"
}
'''
API = '''variable "stage" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "orders-${var.stage}"
}

output "id" {
  value = aws_api_gateway_rest_api.api.id
}

output "root" {
  value = aws_api_gateway_rest_api.api.root_resource_id
}
'''


def environments(tmp_path: Path) -> Path:
    """envs/dev and envs/prod link `main.tf` to ../../shared/main.tf, whose module source resolves from them."""
    repo = tmp_path / "repo"
    for folder in (".git", "shared", "modules/api", "envs/dev", "envs/prod"):
        (repo / folder).mkdir(parents=True)
    (repo / "shared" / "main.tf").write_text(SHARED)
    (repo / "modules" / "api" / "main.tf").write_text(API)
    for env in ("dev", "prod"):
        (repo / "envs" / env / "main.tf").symlink_to(Path("../../shared/main.tf"))
        (repo / "envs" / env / "variables.tf").write_text(f'variable "stage" {{\n  default = "{env}"\n}}\n')
    return repo


def judged(repo: Path, path: Path) -> tuple[list[tuple[str, str, str, int]], object, list[str]]:
    stack, errors = load([path], repository=repo, use_cache=False)
    results, _ = run_rules(stack, [RULES["GA100"], RULES["GA101"]], Settings())
    return sorted((r.status.value, r.resource, r.file, r.line) for r in results), stack, [str(e) for e in errors]


def test_a_shared_file_linked_into_environments_is_judged_at_each_link(tmp_path):
    """Scanning the parent: each environment is a root judged at its link's path; `shared` is a root too, whose
    call resolves only from the environments: not scanned (GA100 unknown), not a broken scan."""
    repo = environments(tmp_path)
    found, stack, errors = judged(repo, repo)
    assert errors == []
    assert found == [("failed", "aws_api_gateway_method.health", "envs/dev/main.tf", 6),
                     ("failed", "aws_api_gateway_method.health", "envs/prod/main.tf", 6),
                     ("failed", "aws_api_gateway_method.health", "shared/main.tf", 6),
                     ("unknown", "module.api", "shared/main.tf", 1)]
    assert [(gap.address, gap.location.file, gap.reason) for gap in stack.not_scanned] == [
        ("module.api", "shared/main.tf", "outside the repository root: not read")]
    assert sorted((module.key, module.display_dir) for module in stack.modules) == [
        ("", "envs/dev"), ("", "envs/prod"), ("", "shared"), ("module.api", "modules/api"),
        ("module.api", "modules/api")]


def test_one_environment_scanned_shows_the_link_not_its_target(tmp_path):
    repo = environments(tmp_path)
    found, stack, errors = judged(repo, repo / "envs" / "dev")
    assert errors == [] and stack.not_scanned == []
    assert found == [("failed", "aws_api_gateway_method.health", "main.tf", 6)]
    assert [module.display_dir for module in stack.modules] == [".", "../../modules/api"]


def test_a_shared_folder_whose_relative_source_leads_nowhere_is_not_scanned(tmp_path):
    """`live/shared` calls ../../modules/api, which exists only as seen from live/envs/dev: inside the repository,
    not there."""
    repo = environments(tmp_path)
    (repo / "live").mkdir()
    for folder in ("shared", "envs", "modules"):
        (repo / folder).rename(repo / "live" / folder)
    found, stack, errors = judged(repo, repo / "live")
    assert errors == []
    [gap] = stack.not_scanned
    assert (gap.address, gap.location.file) == ("module.api", "shared/main.tf")
    assert gap.reason == "the folder '../modules/api' does not exist (the source resolves from 'shared')"
    assert ("unknown", "module.api", "shared/main.tf", 1) in found
    assert ("failed", "aws_api_gateway_method.health", "envs/dev/main.tf", 6) in found


def test_a_link_out_of_the_repository_is_still_refused(tmp_path):
    repo = environments(tmp_path)
    (tmp_path / "elsewhere.tf").write_text(SHARED)
    (repo / "envs" / "dev" / "extra.tf").symlink_to(tmp_path / "elsewhere.tf")
    _, _, errors = judged(repo, repo)
    assert errors == [f"envs/dev/extra.tf: symbolic link to '{tmp_path / 'elsewhere.tf'}', outside the repository "
                      f"root {repo}: not followed"]


def test_a_cached_scan_sees_terraform_init_run_since(tmp_path):
    """The scan cache asks again whether modules.json is there and what it holds: a download changes the verdict."""
    repo = tree(tmp_path, None)
    cache = {**os.environ, "GATEAUDIT_CACHE_DIR": str(tmp_path / "cache")}
    scan = [sys.executable, "-m", "gateaudit", "scan", "--format", "json", "infra"]
    before = json.loads(subprocess.run(scan, capture_output=True, text=True, cwd=repo, env=cache, timeout=120).stdout)
    assert [r["resource"] for r in before["results"] if r["rule_id"] == "GA102"] == []
    (repo / "infra" / ".terraform" / "modules" / "modules.json").write_text(json.dumps({"Modules": recorded()}))
    after = json.loads(subprocess.run(scan, capture_output=True, text=True, cwd=repo, env=cache, timeout=120).stdout)
    assert [(r["resource"], r["status"]) for r in after["results"] if r["rule_id"] == "GA102"] == [
        ("module.api_gateway.aws_apigatewayv2_route.this", "failed")]


@pytest.mark.parametrize(("meta", "gaps"), [
    ("count = 0", []),
    ('for_each = toset(["a", "b"])', ['module.api_gateway["a"]', 'module.api_gateway["b"]']),
    ("count = var.n", ["module.api_gateway"]),
])
def test_each_instance_of_a_call_not_downloaded_is_not_scanned_and_none_for_no_instance(meta, gaps, tmp_path):
    repo = tree(tmp_path, None)
    (repo / "infra" / "main.tf").write_text(CALL.replace("  version", f"  {meta}\n  version")
                                            + 'variable "n" {\n  type = number\n}\n')
    found, not_scanned, errors = scanned(repo)
    assert errors == []
    assert [address for address, _ in not_scanned] == gaps
    assert found == [("GA100", "unknown", address, 1) for address in gaps]


def test_a_call_looping_over_another_calls_output_expands_whatever_the_order_they_are_written_in(tmp_path):
    main = '''module "routes" {
  source             = "./modules/route"
  for_each           = module.names.routes
  api_id             = "a1b2c3"
  route              = each.value
  authorization_type = each.key == "health" ? "NONE" : "AWS_IAM"
}

module "names" {
  source = "./modules/names"
}
'''
    repo = looped(tmp_path, main)
    (repo / "infra" / "modules" / "names").mkdir()
    (repo / "infra" / "modules" / "names" / "main.tf").write_text(
        'output "routes" {\n  value = { health = "GET /health", orders = "GET /orders" }\n}\n')
    found, gaps, errors = scanned(repo)
    assert (errors, gaps) == ([], [])
    assert found == [("GA102", "failed", 'module.routes["health"].aws_apigatewayv2_route.this', 13),
                     ("GA102", "passed", 'module.routes["orders"].aws_apigatewayv2_route.this', 13)]
