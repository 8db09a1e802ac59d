"""The reference stack applied with Terraform to a moto server, then audited: one rule, two sources.

Each root is applied as tests/stack/test_apply_moto.py applies it (in a moto account of its own), then
`gateaudit audit` reads that account and `gateaudit scan` judges the state Terraform wrote of it: every rule the
account can answer gives the same verdicts on both. Then a console click (the authorizer taken off one method
or route) and the audit fails there, and only there.
"""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest

from gateaudit.cli import main

from ..audit._moto import complete_moto
from .test_apply_moto import REGION, ROOTS, Deployment
from .test_apply_moto import deployment as deployment  # the fixture, for this module's tests

# The account shows no code: these rules say unknown there, where the state's scan reads the zip.
CODE_RULES = {"GA107", "GA108", "GA109", "GA110", "GA209", "GA407"}
# Nor a secret's versions (never read): the state's aws_secretsmanager_secret_version has no twin to judge.
NOT_IN_ACCOUNT = {"GA201"}

# Accounts of their own: test_apply_moto.py applies the same roots in 2100000000xx.
AUDITED_ROOTS = [pytest.param(dataclasses.replace(p.values[0], account_id="22" + p.values[0].account_id[2:]), id=p.id)
                 for p in ROOTS]


def _report(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _verdicts(report: dict) -> Counter:
    return Counter((r["rule_id"], r["status"]) for r in report["results"]
                   if r["rule_id"] not in CODE_RULES | NOT_IN_ACCOUNT)


@pytest.mark.parametrize("deployment", AUDITED_ROOTS, indirect=True)
def test_the_applied_stack_audits_as_its_state_scans(deployment: Deployment, monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from gateaudit import aws

    deployment.apply()
    state = deployment.workdir / "applied.state.json"
    state.write_text(json.dumps(deployment.read("show")), encoding="utf-8")
    assert main(["scan", str(state), "--no-config", "--no-cache", "--format", "json",
                 "-o", str(tmp_path / "state.json")]) in (0, 1)
    scanned = _report(tmp_path / "state.json")
    assert scanned["errors"] == []

    account = deployment.account
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_SECRETS_MANAGER"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ENDPOINT_URL", account.endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", account.access_key)
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", account.secret_key)
    monkeypatch.setenv("AWS_REGION", REGION)
    original = aws.session_for
    monkeypatch.setattr(aws, "session_for", lambda profile: complete_moto(original(profile)))

    def audit(name: str) -> dict:
        main(["audit", "--snapshot", str(tmp_path / f"{name}.account.json"), "--no-config", "--format", "json",
              "-o", str(tmp_path / f"{name}.json")])
        return _report(tmp_path / f"{name}.json")

    audited = audit("applied")
    assert audited["errors"] == []
    assert _verdicts(audited) == _verdicts(scanned)
    assert not [r for r in audited["results"] if r["status"] == "failed"]
    code = [r for r in audited["results"] if r["rule_id"] in CODE_RULES]
    assert code and all(r["status"] == "unknown" for r in code)

    # The code with the variables it was applied with (the HTTP root's KMS keys), as a reviewer passes them.
    applied_vars = tmp_path / "applied.tfvars"
    applied_vars.write_text("".join(f"{name} = {json.dumps(value)}\n" for name, value in deployment.variables.items()))

    def drift(name: str) -> dict:
        main(["drift", str(deployment.workdir), "--var-file", str(applied_vars), "--from-snapshot",
              str(tmp_path / f"{name}.account.json"), "--no-config", "--format", "json",
              "-o", str(tmp_path / f"{name}.drift.json")])
        return _report(tmp_path / f"{name}.drift.json")

    # The HCL as written against what apply deployed: paired by names, nothing differs. (From the copy's top,
    # its repository root: its modules are read.)
    monkeypatch.chdir(deployment.workdir.parents[1])
    applied = drift("applied")
    assert applied["errors"] == []
    drifted = [(r["rule_id"], r["resource"], r["message"]) for r in applied["results"] if r["status"] != "passed"]
    assert drifted == []
    assert {r["rule_id"] for r in applied["results"]} >= {"GD101" if deployment.root.name == "rest" else "GD102",
                                                            "GD103", "GD301", "GD401", "GD403"}

    # A console click: the authorizer taken off one method (REST) or route (HTTP).
    resources = {r["address"]: r["values"] for r in _state_resources(json.loads(state.read_text()))}
    if deployment.root.name == "rest":
        api_id = resources["aws_api_gateway_rest_api.api"]["id"]
        method = resources["aws_api_gateway_method.items_post"]
        gateway = account.client("apigateway")
        gateway.delete_method(restApiId=api_id, resourceId=method["resource_id"], httpMethod="POST")
        gateway.put_method(restApiId=api_id, resourceId=method["resource_id"], httpMethod="POST",
                           authorizationType="NONE")
        clicked = f"arn:aws:apigateway:{REGION}::/restapis/{api_id}/resources/{method['resource_id']}/methods/POST"
        rule, code_address = "GA101", "aws_api_gateway_method.items_post"
    else:
        api_id = resources["aws_apigatewayv2_api.api"]["id"]
        route = next(v for a, v in resources.items() if a.startswith("aws_apigatewayv2_route.")
                     and v["route_key"] == "POST /items")
        account.client("apigatewayv2").update_route(ApiId=api_id, RouteId=route["id"], AuthorizationType="NONE",
                                                    AuthorizerId="")
        clicked = f"arn:aws:apigateway:{REGION}::/apis/{api_id}/routes/{route['id']}"
        rule = "GA102"
        code_address = next(a for a, v in resources.items() if v is route)
    try:
        after = audit("clicked")
        failed = [(r["rule_id"], r["resource"]) for r in after["results"] if r["status"] == "failed"]
        assert failed == [(rule, clicked)]
        # The drift names it at the code that says otherwise (each argument that differs), with both sides.
        drifted = [r for r in drift("clicked")["results"] if r["status"] != "passed"]
        assert {(r["rule_id"], r["status"], r["file"], r["resource"]) for r in drifted} == {
            ("GD101" if rule == "GA101" else "GD102", "failed", "main.tf", code_address)}
        assert any("CUSTOM" in r["message"] and "NONE" in r["message"] for r in drifted)
    finally:
        capsys.readouterr()
        if deployment.root.name == "rest":  # put the method back as applied: moto cannot destroy it otherwise
            integration = resources["aws_api_gateway_integration.items_post"]
            gateway.delete_method(restApiId=api_id, resourceId=method["resource_id"], httpMethod="POST")
            gateway.put_method(restApiId=api_id, resourceId=method["resource_id"], httpMethod="POST",
                               authorizationType="CUSTOM", authorizerId=method["authorizer_id"])
            gateway.put_integration(restApiId=api_id, resourceId=method["resource_id"], httpMethod="POST",
                                    type=integration["type"], uri=integration["uri"],
                                    integrationHttpMethod=integration["integration_http_method"])


def _state_resources(document: dict) -> list[dict]:
    found, todo = [], [document["values"]["root_module"]]
    while todo:
        module = todo.pop()
        found.extend(module.get("resources", ()))
        todo.extend(module.get("child_modules", ()))
    return found
