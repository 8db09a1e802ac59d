"""bench/plan_corpus.py: the plan of a generated corpus is judged as its HCL is, so the plan row of bench/speed.py
times the same judgement; and the plan reader gives the HCL's verdicts on a stack of 230 resource instances.

Where terraform and the offline AWS provider mirror exist (tests/stack/conftest.py), terraform's own plan of the
same corpus is judged too: the generated plan stands in for it.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = 20  # two services of ten files and the shared module

# Verdicts the plan gives that the HCL does not, and why: none. (The HCL corpus has no provider block; the plan
# names the aws provider's empty default configuration in provider_config, which is not judged as a block.)
PLAN_ONLY: set[tuple[str, str, str]] = set()


def _import(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules[spec.name]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, Path]:
    """The 20-file corpus bench/speed.py generates, and its plan written beside it (not in it)."""
    speed = _import("gateaudit_bench_speed", ROOT / "bench" / "speed.py")
    base = tmp_path_factory.mktemp("plan-corpus")
    folder = base / "corpus"
    folder.mkdir()
    speed.generate(folder, FILES)
    plan = base / "plans" / "corpus.plan.json"
    plan.parent.mkdir()
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "plan_corpus.py"), str(folder), str(plan)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "230 resource instances" in done.stdout
    return folder, plan


def _located(run_cli, path: Path) -> set[tuple[str, str, str, str, int]]:
    """(rule, address, status, file, line) of every result of a scan of `path`, run from the folder above it: the
    repository root, so a service folder's `../modules` is read."""
    done = run_cli("scan", str(path), "--no-cache", "--no-config", "--format", "json", cwd=path.parent)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert not report["errors"]
    return {(r["rule_id"], r["resource"], r["status"], r["file"], r["line"]) for r in report["results"]}


def _verdicts(run_cli, path: Path, prefix: str = "") -> set[tuple[str, str, str]]:
    return {(rule, prefix + address, status) for rule, address, status, _, _ in _located(run_cli, path)}


def _hcl_verdicts(run_cli, folder: Path) -> set[tuple[str, str, str]]:
    """Each service folder scanned as the root it is, its addresses as the plan's `module.<folder>` call has them."""
    found = set()
    for service in sorted(p for p in folder.iterdir() if p.name.startswith("svc")):
        found |= _verdicts(run_cli, service, prefix=f"module.{service.name}.")
    return found


def test_the_plan_of_a_corpus_gets_the_verdicts_of_its_hcl(corpus, run_cli):
    folder, plan = corpus
    hcl = _hcl_verdicts(run_cli, folder)
    planned = _verdicts(run_cli, plan)
    assert len(hcl) == 100  # 88, and the 6 code rules on the 2 services' authorizers (their code is not in the corpus)
    assert hcl - planned == set()
    assert planned - hcl == PLAN_ONLY


def test_with_its_configuration_beside_it_the_plan_points_at_the_lines_the_hcl_scan_does(corpus, run_cli, tmp_path):
    """In a copy of the corpus with the root module that calls its services, every result of the plan is at the
    file and line of the HCL's."""
    folder, plan = corpus
    plan_corpus = _import("gateaudit_bench_plan_corpus", ROOT / "bench" / "plan_corpus.py")
    beside = tmp_path / "corpus"
    shutil.copytree(folder, beside)
    (beside / "main.tf").write_text(plan_corpus.root_module(json.loads(plan.read_text())))
    shutil.copy(plan, beside / "plan.json")
    placed = _located(run_cli, beside / "plan.json")
    hcl = set()
    for service in ("svc000", "svc001"):
        for rule, address, status, file, line in _located(run_cli, folder / service):
            shown = file.removeprefix("../") if file.startswith("../") else f"{service}/{file}"
            hcl.add((rule, f"module.{service}.{address}", status, shown, line))
    assert {result for result in placed if result[:3] not in PLAN_ONLY} == hcl


def test_the_plan_is_the_same_bytes_every_time(corpus, tmp_path):
    folder, plan = corpus
    again = tmp_path / "again.json"
    subprocess.run([sys.executable, str(ROOT / "bench" / "plan_corpus.py"), str(folder), str(again)], check=True,
                   capture_output=True, timeout=120)
    assert again.read_bytes() == plan.read_bytes()


def test_terraforms_own_plan_of_the_corpus_gets_the_same_verdicts(corpus, run_cli, tmp_path):
    """terraform plan of the corpus (each service a module of one root, credentials from the environment, as
    none is written in the HCL): the same resource instances and verdicts as the generated plan."""
    helpers = _import("gateaudit_tests_stack_conftest", ROOT / "tests" / "stack" / "conftest.py")
    terraform, mirror = shutil.which("terraform"), helpers.find_provider_mirror()
    if terraform is None or mirror is None:
        pytest.skip("terraform or the offline hashicorp/aws mirror is missing (see tests/stack/conftest.py)")
    folder, plan = corpus
    work = tmp_path / "corpus"
    shutil.copytree(folder, work)
    services = sorted(p.name for p in folder.iterdir() if p.name.startswith("svc"))
    (work / "root.tf").write_text(
        'provider "aws" {\n  region                      = "eu-west-1"\n  skip_credentials_validation = true\n'
        "  skip_requesting_account_id  = true\n  skip_metadata_api_check     = true\n}\n"
        + "".join(f'\nmodule "{s}" {{\n  source = "./{s}"\n}}\n' for s in services))
    (tmp_path / "offline.tfrc").write_text(helpers.cli_config(mirror))
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(tmp_path / "offline.tfrc"), "TF_IN_AUTOMATION": "1",
           "TF_INPUT": "0", "CHECKPOINT_DISABLE": "1", "AWS_ACCESS_KEY_ID": "mock", "AWS_SECRET_ACCESS_KEY": "mock"}
    for command in (["init", "-backend=false"], ["plan", "-refresh=false", "-lock=false", "-out=plan.out"]):
        done = subprocess.run([terraform, *command, "-input=false", "-no-color"], cwd=work, env=env,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
    shown = subprocess.run([terraform, "show", "-json", "plan.out"], cwd=work, env=env, capture_output=True,
                           timeout=300, check=True)
    real = tmp_path / "plans" / "terraform.plan.json"
    real.parent.mkdir()
    real.write_bytes(shown.stdout)

    plan_corpus = _import("gateaudit_bench_plan_corpus", ROOT / "bench" / "plan_corpus.py")
    ours, theirs = json.loads(plan.read_text()), json.loads(shown.stdout)
    assert plan_corpus.count_resources(ours) == plan_corpus.count_resources(theirs) == 230
    # root.tf configures the provider (terraform needs it offline): its plan judges that block, the corpus has none
    assert _verdicts(run_cli, real) - {("GA205", "provider.aws", "passed")} == _verdicts(run_cli, plan)
