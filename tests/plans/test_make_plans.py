"""The committed plan and state JSON fixtures are what scripts/make_plans.py makes, and show what the README says.

The plan/state reader's tests run on the committed files, so CI without terraform still runs them; here, where
terraform and the offline provider mirror exist, one small fixture is made again and must come out byte for
byte the same (the script's output is stable, and the committed file is not stale).
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
PLANS = ROOT / "tests" / "plans"
SCRIPT = ROOT / "scripts" / "make_plans.py"
MAKE_TIMEOUT_SECONDS = 600


def _make_plans():
    """scripts/make_plans.py imported by path (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("gateaudit_scripts_make_plans", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules[spec.name]


def _fixture(name: str) -> dict[str, Any]:
    return json.loads((PLANS / name).read_text(encoding="utf-8"))


def _actions(plan: dict[str, Any]) -> dict[str, list[str]]:
    return {change["address"]: change["change"]["actions"] for change in plan["resource_changes"]}


def test_regenerated_fixture_is_byte_for_byte_the_committed_one(tmp_path: Path, capsys) -> None:
    missing = _make_plans().missing_tools(["for_each_modules"])
    if missing:
        why = "; ".join(missing)
        with capsys.disabled():
            print(f"\nskipped: {why}; the committed tests/plans/*.json stand in for a fresh plan")
        pytest.skip(why)
    done = subprocess.run([sys.executable, str(SCRIPT), "--only", "for_each_modules", "--output-dir", str(tmp_path)],
                          capture_output=True, text=True, timeout=MAKE_TIMEOUT_SECONDS, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    made = tmp_path / "for_each_modules.plan.json"
    assert done.stdout == f"wrote {made}: 10 resources (10 create)\n"
    assert [path.name for path in tmp_path.iterdir()] == ["for_each_modules.plan.json"], "nothing else is left"
    assert made.read_text(encoding="utf-8") == (PLANS / "for_each_modules.plan.json").read_text(encoding="utf-8"), (
        "tests/plans/for_each_modules.plan.json is stale: run .venv/bin/python scripts/make_plans.py")


def test_without_terraform_the_script_exits_2_naming_it(tmp_path: Path) -> None:
    env = {**os.environ, "PATH": str(tmp_path)}  # an empty folder: no terraform, no git
    done = subprocess.run([sys.executable, str(SCRIPT), "--output-dir", str(tmp_path)], capture_output=True,
                          text=True, timeout=120, cwd=ROOT, env=env, check=False)
    assert done.returncode == 2
    assert "terraform is not on PATH" in done.stderr and "git is not on PATH" in done.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", sorted(path.name for path in PLANS.glob("*.json")))
def test_committed_fixture_holds_nothing_of_the_machine_that_made_it(name: str) -> None:
    text = (PLANS / name).read_text(encoding="utf-8")
    data = json.loads(text)
    assert data["format_version"].startswith("1.")
    assert data.get("timestamp", "2026-01-01T00:00:00Z") == "2026-01-01T00:00:00Z"
    assert "gateaudit-plan-" not in text, "a temporary folder's path"
    assert '"mock"' not in text, "the moto override's credentials"
    for provider in data.get("configuration", {}).get("provider_config", {}).values():  # a state has none
        assert not {"endpoints", "access_key", "secret_key"} & set(provider.get("expressions", {}))


def test_deleted_logging_destroys_the_log_group_and_method_settings_the_stage_keeps_naming() -> None:
    plan = _fixture("deleted_logging.plan.json")
    actions = _actions(plan)
    assert actions["aws_cloudwatch_log_group.access"] == ["delete"]
    assert actions["aws_api_gateway_method_settings.all"] == ["delete"]
    assert actions["aws_api_gateway_stage.v1"] == ["update"]
    assert actions["aws_api_gateway_deployment.api"] == ["create", "delete"]  # create_before_destroy
    stage = next(change for change in plan["resource_changes"] if change["address"] == "aws_api_gateway_stage.v1")
    group = next(change for change in plan["resource_changes"]
                 if change["address"] == "aws_cloudwatch_log_group.access")
    assert stage["change"]["after"]["access_log_settings"][0]["destination_arn"] == group["change"]["before"]["arn"]


def test_module_instances_keep_their_keys_and_the_git_source_its_placeholder() -> None:
    routes = {address: actions for address, actions in _actions(_fixture("for_each_modules.plan.json")).items()
              if address.startswith("module.")}
    assert sorted(routes) == [
        'module.route["GET /health"].aws_apigatewayv2_route.this',
        'module.route["GET /items"].aws_apigatewayv2_route.this',
        'module.route["POST /items"].aws_apigatewayv2_route.this',
        "module.stage[0].aws_apigatewayv2_stage.this", "module.stage[0].aws_cloudwatch_log_group.access",
        "module.stage[1].aws_apigatewayv2_stage.this", "module.stage[1].aws_cloudwatch_log_group.access",
    ]
    registry = _fixture("registry_module.plan.json")
    call = registry["configuration"]["root_module"]["module_calls"]["items"]
    assert call["source"] == "git::file://MODULE_REPO//modules/route?ref=v1.0.0"
    assert "module.items.aws_api_gateway_method.get" in _actions(registry)
