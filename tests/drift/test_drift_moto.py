"""Drift of the reference stack, applied with terraform to a moto server, after console clicks made with boto3.

The account's document is `terraform show -json` after `terraform apply -refresh-only`: the AWS provider's types
and names read back from moto, which is what `gateaudit audit` writes. The code is the HCL of stack/terraform
(paired by names) and the state taken before the clicks (paired by id). Skips, saying why, where terraform or its
offline provider mirror is missing (tests/drift/conftest.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from gateaudit import modules
from gateaudit.drift import drift
from gateaudit.model import Stack
from gateaudit.result import Result, Status

REPO = Path(__file__).resolve().parents[2]
REFRESH_TIMEOUT_SECONDS = 300
apply_moto = sys.modules["gateaudit_tests_stack_apply_moto"]  # tests/stack's helpers, imported by conftest.py


def load(folder: Path, document: dict[str, Any] | None = None) -> Stack:
    """A stack from a folder, or from a state document written alone in it (as the CLI loads the account's)."""
    path = folder
    if document is not None:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "state.json"
        path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    stack, errors = modules.load([path], use_cache=False)
    assert errors == []
    return stack


def refreshed(terraform: Any, workdir: Path) -> dict[str, Any]:
    """The account as it is now: the state refreshed from moto, as `terraform show -json` gives it."""
    done = terraform.run(["apply", "-refresh-only", "-auto-approve", "-input=false", "-no-color",
                          f"-var=region={apply_moto.REGION}"], workdir, REFRESH_TIMEOUT_SECONDS)
    assert done.returncode == 0, f"terraform apply -refresh-only failed:\n{done.stdout}\n{done.stderr}"
    return apply_moto.json_of(terraform.run(["show", "-json"], workdir, apply_moto.SHOW_TIMEOUT_SECONDS),
                              "terraform show")


def failures(results: list[Result]) -> set[tuple[str, str, str | None]]:
    return {(r.rule_id, r.resource, r.attribute) for r in results if r.status != Status.PASSED}


def values(state: dict[str, Any], address: str) -> dict[str, Any]:
    return apply_moto.state_resources(state)[address]


def test_rest_console_clicks_are_found_from_the_hcl_and_from_the_state(applied, offline_terraform,
                                                                       tmp_path: Path) -> None:
    workdir, account, before = applied("rest")
    code_state = load(tmp_path / "code", before)
    assert failures(drift(load(REPO / "stack" / "terraform" / "rest"), code_state)) == set()

    api = values(before, "aws_api_gateway_rest_api.api")
    resource_id = values(before, "aws_api_gateway_resource.items")["id"]
    apigateway, logs, functions = account.client("apigateway"), account.client("logs"), account.client("lambda")
    # The authorizer removed from GET /items "for a quick test", access logs and execution logging switched off.
    apigateway.put_method(restApiId=api["id"], resourceId=resource_id, httpMethod="GET", authorizationType="NONE")
    # moto has no UpdateMethod: PutMethod replaces the method and drops its integration, which is put back as it was
    integration = values(before, "aws_api_gateway_integration.items_get")
    apigateway.put_integration(restApiId=api["id"], resourceId=resource_id, httpMethod="GET", type="AWS_PROXY",
                               integrationHttpMethod="POST", uri=integration["uri"])
    apigateway.update_stage(restApiId=api["id"], stageName="v1", patchOperations=[
        {"op": "remove", "path": "/accessLogSettings"},
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "OFF"}])
    # The authorizer's logs kept a week; the backend's permission widened to every path of the API.
    logs.put_retention_policy(logGroupName="/aws/lambda/gateaudit-rest-authorizer", retentionInDays=7)
    functions.remove_permission(FunctionName="gateaudit-rest-backend", StatementId="AllowApiGatewayItems")
    functions.add_permission(FunctionName="gateaudit-rest-backend", StatementId="AllowApiGatewayItems",
                             Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                             SourceArn=f"{api['execution_arn']}/*")

    # The authorizer's role may read every secret of the account.
    iam = account.client("iam")
    document = iam.get_role_policy(RoleName="gateaudit-rest-authorizer", PolicyName="least-privilege")["PolicyDocument"]
    document = json.loads(document) if isinstance(document, str) else document
    next(st for st in document["Statement"] if st["Sid"] == "ReadApiKey")["Resource"] = "*"
    iam.put_role_policy(RoleName="gateaudit-rest-authorizer", PolicyName="least-privilege",
                        PolicyDocument=json.dumps(document))

    deployed = load(tmp_path / "account", refreshed(offline_terraform, workdir))
    expected = {("GD101", "aws_api_gateway_method.items_get", "authorization"),
                ("GD101", "aws_api_gateway_method.items_get", "authorizer_id"),
                ("GD401", "aws_api_gateway_stage.api", "access_log_settings"),
                ("GD402", "aws_api_gateway_method_settings.all", "settings.logging_level"),
                ("GD403", "module.authorizer.aws_cloudwatch_log_group.this", "retention_in_days"),
                ("GD301", "aws_lambda_permission.backend", "source_arn"),
                ("GD302", "module.authorizer.aws_iam_role_policy.this", "policy")}
    by_name = drift(load(REPO / "stack" / "terraform" / "rest"), deployed)
    assert failures(by_name) == expected
    by_id = drift(code_state, deployed)
    assert failures(by_id) == expected
    permission = next(r for r in by_name if r.resource == "aws_lambda_permission.backend")
    assert f"account: {api['execution_arn']}/* (broader)" in permission.message
    assert f"code: source_arn = {api['execution_arn']}/*/*/items" in permission.message


def test_http_route_opened_in_the_console_is_found(applied, offline_terraform, tmp_path: Path) -> None:
    workdir, account, before = applied("http")
    hcl = REPO / "stack" / "terraform" / "http"
    assert failures(drift(load(hcl), load(tmp_path / "before", before))) == set()

    api_id = values(before, "aws_apigatewayv2_api.api")["id"]
    route_id = values(before, 'aws_apigatewayv2_route.items["POST /items"]')["id"]
    account.client("apigatewayv2").update_route(ApiId=api_id, RouteId=route_id, AuthorizationType="NONE",
                                                AuthorizerId="")

    results = drift(load(hcl), load(tmp_path / "account", refreshed(offline_terraform, workdir)))
    post = 'aws_apigatewayv2_route.items["POST /items"]'
    assert ("GD102", post, "authorization_type") in failures(results)
    assert {(rule, resource) for rule, resource, _ in failures(results)} == {("GD102", post)}
    opened = next(r for r in results if r.attribute == "authorization_type")
    assert "code: authorization_type = CUSTOM; account: NONE" in opened.message
    assert "authorization_type" in (hcl / "main.tf").read_text(encoding="utf-8").splitlines()[opened.line - 1]
