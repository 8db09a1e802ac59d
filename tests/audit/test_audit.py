"""`gateaudit audit` against a moto account: what runs is judged by the same rules as the Terraform.

Stacks are built through boto3 as the reference stack deploys them; a "console click" is one boto3 call made
afterwards. Each test reads the JSON report a user would read and the snapshot the audit leaves.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import boto3
import pytest

from gateaudit.cli import main

from ._moto import REGION, http_stack, rest_stack, where

CODE_RULES = {"GA107", "GA108", "GA109", "GA110", "GA209", "GA407"}


def audit(tmp_path: Path, capsys: pytest.CaptureFixture, *args: str) -> tuple[int, dict, str]:
    """Run `gateaudit audit` with a JSON report; its exit code, the report and what went to stderr."""
    report = tmp_path / "report.json"
    code = main(["audit", "--snapshot", str(tmp_path / "account.json"), "--no-config", "--format", "json",
                 "-o", str(report), *args])
    return code, json.loads(report.read_text()), capsys.readouterr().err


def verdicts(report: dict) -> dict[tuple[str, str], str]:
    """(rule, resource) -> status, for every result."""
    found: dict[tuple[str, str], str] = {}
    for result in report["results"]:
        found[(result["rule_id"], result["resource"])] = result["status"]
    return found


def test_a_secured_rest_api_passes_what_the_account_can_show(aws: Any, tmp_path: Path, capsys) -> None:
    stack = rest_stack(aws)
    code, report, _ = audit(tmp_path, capsys)
    seen = verdicts(report)
    assert report["errors"] == []
    for method in ("GET", "POST"):
        assert seen[("GA101", stack.method_arn(method))] == "passed"
    assert seen[("GA103", stack.authorizer_arn)] == "passed"
    assert seen[("GA104", stack.authorizer_arn)] == "passed"
    permissions = [r for r in report["results"] if r["rule_id"] == "GA301"]
    assert [r["status"] for r in permissions] == ["passed", "passed"]
    stage = f"arn:aws:apigateway:{REGION}::/restapis/{stack.api_id}/stages/v1"
    assert seen[("GA401", stage)] == "passed" and seen[("GA406", stage)] == "passed"
    assert seen[("GA402", f"{stage}/settings/*/*")] == "passed"
    groups = [r for r in report["results"] if r["rule_id"] == "GA405"]
    assert len(groups) == 2 and {r["status"] for r in groups} == {"passed"}
    assert not [r for r in report["results"] if r["status"] == "failed"]
    # The account shows no code: the code rules say so, at the authorizer, and the gate counts them unknown.
    code_results = [r for r in report["results"] if r["rule_id"] in CODE_RULES]
    assert {r["rule_id"] for r in code_results} == CODE_RULES
    assert all(r["status"] == "unknown" and "read from the account" in r["message"] for r in code_results)
    assert code == 1
    assert main(["scan", str(tmp_path / "account.json"), "--no-config", "--unknown", "warn", "--format", "json",
                 "-o", str(tmp_path / "again.json")]) == 0


def test_console_clicks_fail_at_what_was_clicked(aws: Any, tmp_path: Path, capsys) -> None:
    stack = rest_stack(aws)
    gateway, lam, logs = aws.client("apigateway"), aws.client("lambda"), aws.client("logs")
    # An authorizer removed "for a quick test" (moto has no UpdateMethod: the method is put again without it).
    gateway.delete_method(restApiId=stack.api_id, resourceId=stack.resource_id, httpMethod="POST")
    gateway.put_method(restApiId=stack.api_id, resourceId=stack.resource_id, httpMethod="POST",
                       authorizationType="NONE")
    # Access logs switched off.
    gateway.update_stage(restApiId=stack.api_id, stageName="v1", patchOperations=[
        {"op": "remove", "path": "/accessLogSettings"}])
    # The backend's permission widened by hand: any API may invoke it.
    lam.remove_permission(FunctionName="shop-backend", StatementId="AllowApiGatewayItems")
    lam.add_permission(FunctionName="shop-backend", StatementId="AllowApiGatewayItems",
                       Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com")
    # The authorizer's logs kept for ever.
    logs.delete_retention_policy(logGroupName="/aws/lambda/shop-authorizer")

    code, report, _ = audit(tmp_path, capsys)
    seen = verdicts(report)
    assert seen[("GA101", stack.method_arn("POST"))] == "failed"
    assert seen[("GA101", stack.method_arn("GET"))] == "passed"
    stage = f"arn:aws:apigateway:{REGION}::/restapis/{stack.api_id}/stages/v1"
    assert seen[("GA401", stage)] == "failed"
    backend_permission = f"{stack.backend_arn}/policy/AllowApiGatewayItems"
    assert seen[("GA301", backend_permission)] == "failed"
    group = f"arn:aws:logs:{REGION}:{where(aws)[1]}:log-group:/aws/lambda/shop-authorizer"
    assert seen[("GA405", group)] == "failed"
    assert code == 1
    # Each result points at the snapshot's line that holds what AWS answered.
    lines = (tmp_path / "account.json").read_text().splitlines()
    failed = next(r for r in report["results"] if r["rule_id"] == "GA101" and r["status"] == "failed")
    assert failed["file"].endswith("account.json")
    assert stack.method_arn("POST") in lines[failed["line"] - 1]


def test_an_http_route_without_its_authorizer_fails(aws: Any, tmp_path: Path, capsys) -> None:
    stack = http_stack(aws)
    v2 = aws.client("apigatewayv2")
    added = v2.create_route(ApiId=stack.api_id, RouteKey="DELETE /items", AuthorizationType="NONE")
    _, report, _ = audit(tmp_path, capsys)
    seen = verdicts(report)
    assert seen[("GA102", stack.route_arn("GET /items"))] == "passed"
    assert seen[("GA102", stack.route_arn("POST /items"))] == "passed"
    assert seen[("GA102", f"arn:aws:apigateway:{REGION}::/apis/{stack.api_id}/routes/{added['RouteId']}")] == "failed"
    authorizer = f"arn:aws:apigateway:{REGION}::/apis/{stack.api_id}/authorizers/{stack.authorizer_id}"
    assert seen[("GA105", authorizer)] == "passed"


def test_the_snapshot_is_a_state_scan_judges_alike(aws: Any, tmp_path: Path, capsys) -> None:
    rest_stack(aws)
    http_stack(aws)
    _, audited, _ = audit(tmp_path, capsys)
    assert main(["scan", str(tmp_path / "account.json"), "--no-config", "--format", "json",
                 "-o", str(tmp_path / "scanned.json")]) == 1
    scanned = json.loads((tmp_path / "scanned.json").read_text())

    def keyed(report: dict) -> list[tuple]:
        return sorted((r["rule_id"], r["resource"], r["status"], r["line"], r["message"]) for r in report["results"])

    assert keyed(audited) == keyed(scanned) and len(keyed(scanned)) > 30


def test_progress_goes_to_stderr_and_json_on_stdout_stays_quiet(aws: Any, tmp_path: Path, capsys) -> None:
    rest_stack(aws)
    main(["audit", "--snapshot", str(tmp_path / "account.json"), "--no-config"])
    err = capsys.readouterr().err
    assert f"reading account {where(aws)[1]}, {REGION}" in err
    assert "1 REST API, 0 HTTP/WebSocket APIs, 2 Lambda functions" in err
    main(["audit", "--snapshot", str(tmp_path / "account.json"), "--no-config", "--format", "json"])
    out, err = capsys.readouterr()
    assert json.loads(out)["results"]
    assert "reading account" not in err and "wrote" not in err


def test_regions_are_read_apart(aws: Any, tmp_path: Path, capsys) -> None:
    # The same stack, names and all, in two regions: each method is judged with its own region's authorizer.
    east = rest_stack(aws)
    west = rest_stack(boto3.Session(region_name="eu-west-1"))
    _, report, _ = audit(tmp_path, capsys, "--region", "us-east-1", "--region", "eu-west-1")
    seen = verdicts(report)
    assert seen[("GA101", east.method_arn("GET"))] == "passed"
    assert seen[("GA101", west.method_arn("GET"))] == "passed"
    messages = {r["resource"]: r["message"] for r in report["results"] if r["rule_id"] == "GA101"}
    assert west.authorizer_arn in messages[west.method_arn("GET")]
    assert east.authorizer_arn in messages[east.method_arn("GET")]
    snapshot = json.loads((tmp_path / "account.json").read_text())
    assert [t["region"] for t in snapshot["gateaudit_account"]["targets"]] == ["us-east-1", "eu-west-1"]


def test_a_role_arn_reads_the_account_it_belongs_to(aws: Any, tmp_path: Path, capsys) -> None:
    other = "111111111111"
    role_arn = f"arn:aws:iam::{other}:role/gateaudit-audit"
    credentials = aws.client("sts").assume_role(RoleArn=role_arn, RoleSessionName="build")["Credentials"]
    there = boto3.Session(aws_access_key_id=credentials["AccessKeyId"],
                          aws_secret_access_key=credentials["SecretAccessKey"],
                          aws_session_token=credentials["SessionToken"], region_name=REGION)
    stack = rest_stack(there, name="partner")
    http_stack(there, name="partner-http")
    rest_stack(aws)  # the caller's own account is not read when only a role is given
    _, report, _ = audit(tmp_path, capsys, "--role-arn", role_arn)
    assert report["errors"] == []
    assert verdicts(report)[("GA101", stack.method_arn("GET"))] == "passed"
    functions = {r["resource"] for r in report["results"] if r["rule_id"] == "GA405"}
    assert functions and all(f":{other}:" in arn for arn in functions)
    snapshot = json.loads((tmp_path / "account.json").read_text())
    assert snapshot["gateaudit_account"]["targets"] == [{"account": other, "region": REGION}]


def test_without_a_region_nothing_is_read(aws: Any, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    assert main(["audit", "--snapshot", str(tmp_path / "account.json")]) == 2
    assert "no region: give --region REGION" in capsys.readouterr().err
    assert not (tmp_path / "account.json").exists()


def test_a_snapshot_whose_record_of_failures_was_edited_is_an_error(tmp_path: Path, capsys) -> None:
    # Hiding a failed call by editing the snapshot must not turn a gap into a pass.
    snapshot = {"format_version": "1.0", "gateaudit_account": {"errors": "none"},
                "values": {"root_module": {"resources": []}}}
    path = tmp_path / "account.json"
    path.write_text(json.dumps(snapshot))
    assert main(["scan", str(path), "--no-config"]) == 2
    assert "gateaudit_account.errors is not the list of failed calls" in capsys.readouterr().err


def test_a_profile_gives_the_credentials_and_the_region(aws: Any, tmp_path: Path, capsys, monkeypatch) -> None:
    stack = rest_stack(boto3.Session(region_name="eu-west-1"))
    keys = aws.get_credentials().get_frozen_credentials()
    (tmp_path / "config").write_text("[profile auditor]\nregion = eu-west-1\n")
    (tmp_path / "credentials").write_text(f"[auditor]\naws_access_key_id = {keys.access_key}\n"
                                          f"aws_secret_access_key = {keys.secret_key}\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name)
    _, report, _ = audit(tmp_path, capsys, "--profile", "auditor")
    assert report["errors"] == []
    assert verdicts(report)[("GA101", stack.method_arn("GET"))] == "passed"
    snapshot = json.loads((tmp_path / "account.json").read_text())
    assert snapshot["gateaudit_account"]["targets"] == [{"account": where(aws)[1], "region": "eu-west-1"}]


def test_regions_read_at_once_make_their_clients_one_at_a_time(aws: Any, tmp_path: Path, capsys,
                                                                monkeypatch) -> None:
    # A boto3 Session is not thread-safe: two regions' threads must not make clients from it together.
    import threading
    import time

    from gateaudit import aws as reader

    inside, most = [0], [0]
    lock = threading.Lock()
    opened = reader.session_for

    def session_for(profile: str | None) -> Any:
        session = opened(profile)
        make = session.client

        def client(*args: Any, **kwargs: Any) -> Any:
            with lock:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            time.sleep(0.05)  # long enough for the other region's thread to arrive
            try:
                return make(*args, **kwargs)
            finally:
                with lock:
                    inside[0] -= 1

        session.client = client
        return session

    monkeypatch.setattr(reader, "session_for", session_for)
    _, report, _ = audit(tmp_path, capsys, "--region", "us-east-1", "--region", "eu-west-1")
    assert report["errors"] == []
    assert most[0] == 1
