"""`gateaudit.drift.drift(code, account)`: each difference kind, failing and passing, from the HCL and from a state.

The account side is a state JSON as `gateaudit audit` writes it: the AWS provider's types and attribute names,
each resource's `address` an ARN (`states/<root>_account.json`, taken from the reference stack applied to moto,
trimmed to what drift reads). `states/<root>_state.json` is the same deployment as Terraform's state holds it
(Terraform addresses): the code side paired by id. A "console click" is that document with one value changed.
"""

from __future__ import annotations

import ast
import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from gateaudit import modules
from gateaudit.drift import DRIFT_LOADED, DRIFT_RULES, drift
from gateaudit.model import Stack
from gateaudit.result import Result, Status

REPO = Path(__file__).resolve().parents[2]
STATES = Path(__file__).parent / "states"
CODE = Path(__file__).parent / "code"
REST_HCL, HTTP_HCL = REPO / "stack" / "terraform" / "rest", REPO / "stack" / "terraform" / "http"
REST_API_ARN = "arn:aws:apigateway:us-east-1::/restapis/h0teejqpok"
HTTP_API_ARN = "arn:aws:apigateway:us-east-1::/apis/fbmzswgj"


def load(path: Path) -> Stack:
    stack, errors = modules.load([path], use_cache=False)
    assert errors == []
    return stack


def document(root: str) -> dict[str, Any]:
    return json.loads((STATES / f"{root}_account.json").read_text(encoding="utf-8"))


def resources(doc: dict[str, Any], type_: str) -> list[dict[str, Any]]:
    return [r for r in doc["values"]["root_module"]["resources"] if r["type"] == type_]


def account(tmp_path: Path, root: str, click: Callable[[dict[str, Any]], None] | None = None) -> Stack:
    """The account's document after a console click, loaded as the CLI loads it (alone in its folder)."""
    doc = document(root)
    if click is not None:
        click(doc)
    folder = tmp_path / "account"
    folder.mkdir(exist_ok=True)
    (folder / "account.json").write_text(json.dumps(doc, indent=2), encoding="utf-8")
    return load(folder / "account.json")


def line_of(path: Path, text: str, after: str = "") -> int:
    """The line of `text` in a file, the first after the line holding `after`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines[start:], start) if text in line) + 1


def of(results: list[Result], rule: str, status: Status | None = None) -> list[Result]:
    return [r for r in results if r.rule_id == rule and (status is None or r.status == status)]


def not_passed(results: list[Result]) -> list[tuple[str, str, str]]:
    return [(r.rule_id, r.status.value, r.resource) for r in results if r.status != Status.PASSED]


# ------------------------------------------------------------------------------------------- nothing clicked

@pytest.mark.parametrize("code", [REST_HCL, STATES / "rest_state.json"], ids=["hcl", "state"])
def test_rest_stack_as_deployed_passes_every_block_compared(tmp_path: Path, code: Path) -> None:
    results = drift(load(code), account(tmp_path, "rest"))
    assert not_passed(results) == []
    compared = {(r.rule_id, r.resource) for r in results}
    assert compared >= {("GD100", "aws_api_gateway_rest_api.api"), ("GD100", "aws_api_gateway_resource.items"),
                        ("GD101", "aws_api_gateway_method.items_get"), ("GD101", "aws_api_gateway_method.items_post"),
                        ("GD103", "aws_api_gateway_authorizer.api_key"), ("GD301", "aws_lambda_permission.backend"),
                        ("GD301", "aws_lambda_permission.authorizer"), ("GD401", "aws_api_gateway_stage.api"),
                        ("GD402", "aws_api_gateway_method_settings.all"),
                        ("GD403", "aws_cloudwatch_log_group.access"),
                        # its name holds the API's id, known only after apply: the paired API's id is used
                        ("GD403", "aws_cloudwatch_log_group.execution"),
                        ("GD403", "module.authorizer.aws_cloudwatch_log_group.this")}
    stage = next(r for r in results if r.resource == "aws_api_gateway_stage.api")
    assert f"{REST_API_ARN}/stages/v1" in stage.message


@pytest.mark.parametrize("code", [HTTP_HCL, STATES / "http_state.json"], ids=["hcl", "state"])
def test_http_stack_as_deployed_passes_every_block_compared(tmp_path: Path, code: Path) -> None:
    results = drift(load(code), account(tmp_path, "http"))
    assert not_passed(results) == []
    assert {("GD102", 'aws_apigatewayv2_route.items["GET /items"]'),
            ("GD102", 'aws_apigatewayv2_route.items["POST /items"]'),
            ("GD103", "aws_apigatewayv2_authorizer.api_key"), ("GD401", "aws_apigatewayv2_stage.api")} \
        <= {(r.rule_id, r.resource) for r in results}


def test_a_plan_pairs_by_name_and_what_it_knows_only_after_apply_is_unknown(tmp_path: Path) -> None:
    """A plan's `source_arn = "${...execution_arn}/*/*/items"` is known only after apply, and a plan does not say how
    it is built: unknown, never compared as the API's execution ARN alone."""
    results = drift(load(REPO / "tests" / "plans" / "http.plan.json"), account(tmp_path, "http"))
    assert not_passed(results) == [("GD301", "unknown", "aws_lambda_permission.authorizer"),
                                   ("GD301", "unknown", "aws_lambda_permission.backend"),
                                   ("GD302", "unknown", "module.authorizer.aws_iam_role_policy.this"),
                                   ("GD302", "unknown", "module.backend.aws_iam_role_policy.this")]
    assert all("source_arn is unknown (known only after apply)" in r.message
               for r in results if r.status == Status.UNKNOWN and r.rule_id == "GD301")
    # `"${aws_cloudwatch_log_group.this.arn}:*"` in a policy: the plan does not say how it is built
    assert all("the code's resource is unknown (known only after apply)" in r.message
               for r in results if r.status == Status.UNKNOWN and r.rule_id == "GD302")
    assert ("GD102", 'aws_apigatewayv2_route.items["GET /items"]') in {(r.rule_id, r.resource) for r in results}


def test_a_state_pairs_by_id_and_the_hcl_by_name(tmp_path: Path) -> None:
    def rename(doc: dict[str, Any]) -> None:
        resources(doc, "aws_api_gateway_rest_api")[0]["values"]["name"] = "renamed-in-the-console"

    deployed = account(tmp_path, "rest", rename)
    by_id = drift(load(STATES / "rest_state.json"), deployed)
    assert of(by_id, "GD100", Status.FAILED) == []
    by_name = drift(load(REST_HCL), deployed)
    api = [r for r in by_name if r.resource == "aws_api_gateway_rest_api.api"]
    assert [(r.status, r.file, r.line) for r in api] == [(Status.FAILED, "main.tf", line_of(
        REST_HCL / "main.tf", 'resource "aws_api_gateway_rest_api" "api"'))]
    assert "in the code, not deployed" in api[0].message and "gateaudit-rest" in api[0].message


# --------------------------------------------------------------------------------------- GD101 / GD102 methods

def _method(doc: dict[str, Any], http_method: str) -> dict[str, Any]:
    return next(r["values"] for r in resources(doc, "aws_api_gateway_method")
                if r["values"]["http_method"] == http_method)


@pytest.mark.parametrize("code", [REST_HCL, STATES / "rest_state.json"], ids=["hcl", "state"])
def test_method_whose_authorizer_was_removed_fails_with_both_sides(tmp_path: Path, code: Path) -> None:
    def open_get(doc: dict[str, Any]) -> None:
        _method(doc, "GET").update(authorization="NONE", authorizer_id="")

    results = drift(load(code), account(tmp_path, "rest", open_get))
    failed = of(results, "GD101", Status.FAILED)
    assert {(r.resource, r.attribute) for r in failed} == {("aws_api_gateway_method.items_get", "authorization"),
                                                           ("aws_api_gateway_method.items_get", "authorizer_id")}
    authorization = next(r for r in failed if r.attribute == "authorization")
    assert "code: authorization = CUSTOM; account: NONE" in authorization.message
    assert f"{REST_API_ARN}/resources/7ctpavjm09/methods/GET" in authorization.message
    authorizer = next(r for r in failed if r.attribute == "authorizer_id")
    assert "code: authorizer aws_api_gateway_authorizer.api_key" in authorizer.message
    if code == REST_HCL:  # at the argument to edit
        assert (authorization.file, authorization.line) == ("main.tf", line_of(
            REST_HCL / "main.tf", 'authorization = "CUSTOM"', after='"aws_api_gateway_method" "items_get"'))
    assert of(results, "GD101", Status.PASSED)[0].resource == "aws_api_gateway_method.items_post"


def test_method_open_in_the_code_and_in_the_account_passes(tmp_path: Path) -> None:
    def open_get(doc: dict[str, Any]) -> None:
        _method(doc, "GET").update(authorization="NONE", authorizer_id="")  # API Gateway's "" for none

    results = drift(load(CODE / "open_method"), account(tmp_path, "rest", open_get))
    assert [r.status for r in results if r.resource == "aws_api_gateway_method.items_get"] == [Status.PASSED]


def test_method_requiring_no_api_key_any_more_fails(tmp_path: Path) -> None:
    code = tmp_path / "code"
    code.mkdir()
    main = (REST_HCL / "main.tf").read_text(encoding="utf-8")
    # the code requires an API key on POST; the account does not
    marker = 'resource "aws_api_gateway_method" "items_post" {\n'
    (code / "main.tf").write_text(main.replace(marker, marker + "  api_key_required = true\n"), encoding="utf-8")
    for name in ("variables.tf", "outputs.tf", "versions.tf", "account.tf"):
        (code / name).write_text((REST_HCL / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "modules").symlink_to(REST_HCL.parent / "modules")
    results = drift(load(code), account(tmp_path, "rest"))
    assert [(r.resource, r.attribute, r.line) for r in of(results, "GD101", Status.FAILED)] == [
        ("aws_api_gateway_method.items_post", "api_key_required", line_of(code / "main.tf", "api_key_required"))]


@pytest.mark.parametrize("code", [HTTP_HCL, STATES / "http_state.json"], ids=["hcl", "state"])
def test_route_set_to_none_fails(tmp_path: Path, code: Path) -> None:
    def open_post(doc: dict[str, Any]) -> None:
        route = next(r["values"] for r in resources(doc, "aws_apigatewayv2_route")
                     if r["values"]["route_key"] == "POST /items")
        route.update(authorization_type="NONE", authorizer_id="")

    results = drift(load(code), account(tmp_path, "http", open_post))
    failed = of(results, "GD102", Status.FAILED)
    assert {(r.resource, r.attribute) for r in failed} == {
        ('aws_apigatewayv2_route.items["POST /items"]', "authorization_type"),
        ('aws_apigatewayv2_route.items["POST /items"]', "authorizer_id")}
    assert any("code: authorization_type = CUSTOM; account: NONE" in r.message for r in failed)
    assert [r.resource for r in of(results, "GD102", Status.PASSED)] == ['aws_apigatewayv2_route.items["GET /items"]']


# ------------------------------------------------------------------------------------------- GD103 authorizers

@pytest.mark.parametrize("code", [REST_HCL, STATES / "rest_state.json"], ids=["hcl", "state"])
def test_authorizer_pointing_elsewhere_fails(tmp_path: Path, code: Path) -> None:
    def repoint(doc: dict[str, Any]) -> None:
        authorizer = resources(doc, "aws_api_gateway_authorizer")[0]["values"]
        authorizer["authorizer_uri"] = authorizer["authorizer_uri"].replace("gateaudit-rest-authorizer", "allow-all")
        authorizer["identity_source"] = "method.request.header.Authorization"

    results = drift(load(code), account(tmp_path, "rest", repoint))
    failed = of(results, "GD103", Status.FAILED)
    assert {r.attribute for r in failed} == {"authorizer_uri", "identity_source"}
    uri = next(r for r in failed if r.attribute == "authorizer_uri")
    assert "code: invokes gateaudit-rest-authorizer; account: invokes allow-all" in uri.message


def test_authorizer_deleted_is_not_deployed_and_its_methods_fail(tmp_path: Path) -> None:
    def delete(doc: dict[str, Any]) -> None:
        doc["values"]["root_module"]["resources"] = [
            r for r in doc["values"]["root_module"]["resources"] if r["type"] != "aws_api_gateway_authorizer"]
        for method in ("GET", "POST"):
            _method(doc, method).update(authorization="NONE", authorizer_id="")

    results = drift(load(REST_HCL), account(tmp_path, "rest", delete))
    [missing] = of(results, "GD103")
    assert missing.status == Status.FAILED and "in the code, not deployed" in missing.message
    assert missing.line == line_of(REST_HCL / "main.tf", 'resource "aws_api_gateway_authorizer" "api_key"')
    assert {r.resource for r in of(results, "GD101", Status.FAILED)} == {"aws_api_gateway_method.items_get",
                                                                         "aws_api_gateway_method.items_post"}


# ----------------------------------------------------------------------------------- GD401-GD403 logging

@pytest.mark.parametrize("root, code", [("rest", REST_HCL), ("http", HTTP_HCL), ("rest", STATES / "rest_state.json")],
                         ids=["rest-hcl", "http-hcl", "rest-state"])
def test_access_logs_switched_off_fail(tmp_path: Path, root: str, code: Path) -> None:
    def switch_off(doc: dict[str, Any]) -> None:
        stage = next(r for r in doc["values"]["root_module"]["resources"] if r["type"].endswith("_stage"))
        stage["values"]["access_log_settings"] = []

    [failed] = of(drift(load(code), account(tmp_path, root, switch_off)), "GD401")
    assert failed.status == Status.FAILED and failed.attribute == "access_log_settings"
    assert "account: no access_log_settings" in failed.message and "code: access logs to /aws/apigateway/" in \
        failed.message
    if code.is_dir():  # at the nested block to restore
        assert (failed.file, failed.line) == ("main.tf", line_of(code / "main.tf", "access_log_settings {"))


@pytest.mark.parametrize("settings, attribute, says", [
    ({"logging_level": "OFF"}, "settings.logging_level", "code: settings.logging_level = ERROR; account: OFF"),
    ({"data_trace_enabled": True}, "settings.data_trace_enabled", "account: true"),
], ids=["logging-off", "data-trace-on"])
def test_execution_logging_lowered_fails(tmp_path: Path, settings: dict, attribute: str, says: str) -> None:
    def click(doc: dict[str, Any]) -> None:
        resources(doc, "aws_api_gateway_method_settings")[0]["values"]["settings"][0].update(settings)

    [failed] = of(drift(load(REST_HCL), account(tmp_path, "rest", click)), "GD402")
    assert (failed.status, failed.attribute) == (Status.FAILED, attribute) and says in failed.message
    assert failed.line == line_of(REST_HCL / "main.tf", attribute.split(".")[1],
                                  after="aws_api_gateway_method_settings")


def test_execution_logging_raised_by_hand_passes(tmp_path: Path) -> None:
    def click(doc: dict[str, Any]) -> None:
        resources(doc, "aws_api_gateway_method_settings")[0]["values"]["settings"][0]["logging_level"] = "INFO"

    assert [r.status for r in of(drift(load(REST_HCL), account(tmp_path, "rest", click)), "GD402")] == [Status.PASSED]


@pytest.mark.parametrize("trace, reported", [(True, True), (False, False)], ids=["data-trace", "logging-only"])
def test_method_settings_added_by_hand_fail_only_when_they_trace_data(tmp_path: Path, trace: bool,
                                                                       reported: bool) -> None:
    def add(doc: dict[str, Any]) -> None:
        settings = copy.deepcopy(resources(doc, "aws_api_gateway_method_settings")[0])
        settings["values"].update(method_path="items/GET", id="h0teejqpok-v1-items/GET")
        settings["values"]["settings"][0].update(data_trace_enabled=trace, logging_level="INFO")
        settings["address"] = settings["address"].replace("*/*", "items/GET")
        doc["values"]["root_module"]["resources"].append(settings)

    by_hand = [r for r in drift(load(REST_HCL), account(tmp_path, "rest", add)) if r.file == "account.json"]
    assert [(r.rule_id, r.status) for r in by_hand] == ([("GD402", Status.FAILED)] if reported else [])
    if reported:
        assert "method settings v1 items/GET" in by_hand[0].message and "data_trace_enabled = true" in \
            by_hand[0].message


def _log_group(doc: dict[str, Any], name: str) -> dict[str, Any]:
    return next(r["values"] for r in resources(doc, "aws_cloudwatch_log_group") if r["values"]["name"] == name)


@pytest.mark.parametrize("days, status", [(7, Status.FAILED), (365, Status.PASSED), (0, Status.PASSED)],
                         ids=["shorter", "longer", "never-expire"])
def test_log_group_retention_shorter_fails(tmp_path: Path, days: int, status: Status) -> None:
    def click(doc: dict[str, Any]) -> None:
        _log_group(doc, "/aws/lambda/gateaudit-rest-authorizer")["retention_in_days"] = days

    [judged] = [r for r in drift(load(REST_HCL), account(tmp_path, "rest", click))
                if r.resource == "module.authorizer.aws_cloudwatch_log_group.this"]
    assert judged.status == status
    if status == Status.FAILED:
        assert "code: retention_in_days = 90; account: 7 (shorter)" in judged.message
        assert (judged.file, judged.line) == ("../modules/api-key-authorizer/main.tf", line_of(
            REST_HCL.parent / "modules" / "api-key-authorizer" / "main.tf", "retention_in_days"))


def test_log_group_deleted_fails(tmp_path: Path) -> None:
    def delete(doc: dict[str, Any]) -> None:
        doc["values"]["root_module"]["resources"].remove(next(
            r for r in resources(doc, "aws_cloudwatch_log_group") if r["values"]["name"].endswith("/access")))

    failed = of(drift(load(HTTP_HCL), account(tmp_path, "http", delete)), "GD403", Status.FAILED)
    assert [(r.resource, r.line) for r in failed] == [("aws_cloudwatch_log_group.access", line_of(
        HTTP_HCL / "main.tf", 'resource "aws_cloudwatch_log_group" "access"'))]
    assert "/aws/apigateway/gateaudit-http/access" in failed[0].message


# ------------------------------------------------------------------------------------------- GD301 permissions

def _permission(doc: dict[str, Any], statement: str) -> dict[str, Any]:
    return next(r for r in resources(doc, "aws_lambda_permission") if r["values"]["statement_id"] == statement)


@pytest.mark.parametrize("change, attribute, says", [
    ({"principal": "*"}, "principal", "code: principal = apigateway.amazonaws.com; account: *"),
    ({"source_arn": "arn:aws:execute-api:us-east-1:210000000011:h0teejqpok/*"}, "source_arn", "(broader)"),
    ({"source_arn": None}, "source_arn", "account: no source_arn"),
], ids=["principal", "source-arn-broader", "source-arn-gone"])
@pytest.mark.parametrize("code", [REST_HCL, STATES / "rest_state.json"], ids=["hcl", "state"])
def test_permission_widened_fails(tmp_path: Path, code: Path, change: dict, attribute: str, says: str) -> None:
    def widen(doc: dict[str, Any]) -> None:
        _permission(doc, "AllowApiGatewayItems")["values"].update(change)

    [failed] = of(drift(load(code), account(tmp_path, "rest", widen)), "GD301", Status.FAILED)
    assert (failed.resource, failed.attribute) == ("aws_lambda_permission.backend", attribute)
    assert says in failed.message
    if code == REST_HCL:
        assert failed.line == line_of(REST_HCL / "main.tf", f"{attribute} ", after='"aws_lambda_permission" "backend"')


def test_statement_only_in_the_account_fails_at_the_account_document(tmp_path: Path) -> None:
    def add(doc: dict[str, Any]) -> None:
        statement = copy.deepcopy(_permission(doc, "AllowApiGatewayItems"))
        statement["values"].update(statement_id="quick-test", id="quick-test", principal="*", source_arn=None)
        statement["address"] = statement["address"].replace("AllowApiGatewayItems", "quick-test")
        doc["values"]["root_module"]["resources"].append(statement)

    results = drift(load(REST_HCL), account(tmp_path, "rest", add))
    [by_hand] = of(results, "GD301", Status.FAILED)
    assert by_hand.resource.endswith("function:gateaudit-rest-backend/policy/quick-test")
    assert by_hand.file == "account.json" and by_hand.line > 1
    lines = (tmp_path / "account" / "account.json").read_text(encoding="utf-8").splitlines()
    assert "quick-test" in lines[by_hand.line - 1]
    assert "only in the account" in by_hand.message and "principal = *" in by_hand.message


# ------------------------------------------------------------------------------------------------ GD302 IAM

def _inline_policy(doc: dict[str, Any], role: str) -> dict[str, Any]:
    return next(r["values"] for r in resources(doc, "aws_iam_role_policy") if r["values"]["role"] == role)


@pytest.mark.parametrize("code", [REST_HCL, STATES / "rest_state.json"], ids=["hcl", "state"])
def test_inline_policy_widened_fails(tmp_path: Path, code: Path) -> None:
    def widen(doc: dict[str, Any]) -> None:
        policy = _inline_policy(doc, "gateaudit-rest-authorizer")
        document = json.loads(policy["policy"])
        read = next(st for st in document["Statement"] if st["Sid"] == "ReadApiKey")
        read["Resource"] = "*"  # every secret of the account, "for a quick test"
        policy["policy"] = json.dumps(document)

    results = drift(load(code), account(tmp_path, "rest", widen))
    [failed] = of(results, "GD302", Status.FAILED)
    assert (failed.resource, failed.attribute) == ("module.authorizer.aws_iam_role_policy.this", "policy")
    assert "code: does not allow secretsmanager:GetSecretValue on *; account: allows it (wider)" in failed.message
    assert "role/gateaudit-rest-authorizer/policy/least-privilege" in failed.message
    assert [r.resource for r in of(results, "GD302", Status.UNKNOWN)] == []


def test_inline_policy_narrowed_passes(tmp_path: Path) -> None:
    def narrow(doc: dict[str, Any]) -> None:
        policy = _inline_policy(doc, "gateaudit-rest-backend")
        document = json.loads(policy["policy"])
        document["Statement"] = document["Statement"][:1]
        policy["policy"] = json.dumps(document)

    results = drift(load(REST_HCL), account(tmp_path, "rest", narrow))
    assert [r.status for r in results if r.resource == "module.backend.aws_iam_role_policy.this"] == [Status.PASSED]


def test_managed_policy_attached_by_hand_fails_at_the_account_document(tmp_path: Path) -> None:
    def attach(doc: dict[str, Any]) -> None:
        admin = "arn:aws:iam::aws:policy/AdministratorAccess"
        doc["values"]["root_module"]["resources"].append({
            "address": f"arn:aws:iam::210000000011:role/gateaudit-rest-authorizer/attached/{admin}", "mode": "managed",
            "type": "aws_iam_role_policy_attachment", "name": "AdministratorAccess",
            "values": {"id": "gateaudit-rest-authorizer-20261207", "role": "gateaudit-rest-authorizer",
                       "policy_arn": admin}})

    results = drift(load(REST_HCL), account(tmp_path, "rest", attach))
    [by_hand] = of(results, "GD302", Status.FAILED)
    assert by_hand.file == "account.json" and by_hand.resource.endswith("/attached/arn:aws:iam::aws:policy/"
                                                                        "AdministratorAccess")
    assert ("managed policy attachment arn:aws:iam::aws:policy/AdministratorAccess of role gateaudit-rest-authorizer "
            "is not in the code") in by_hand.message


# ------------------------------------------------------------------------------------------ created by hand

def test_method_created_by_hand_fails_at_the_account_document(tmp_path: Path) -> None:
    def add(doc: dict[str, Any]) -> None:
        method = copy.deepcopy(next(r for r in resources(doc, "aws_api_gateway_method")
                                    if r["values"]["http_method"] == "GET"))
        method["values"].update(http_method="DELETE", authorization="NONE", authorizer_id="",
                                id="agm-h0teejqpok-7ctpavjm09-DELETE")
        method["address"] = method["address"].replace("/methods/GET", "/methods/DELETE")
        doc["values"]["root_module"]["resources"].append(method)

    results = drift(load(REST_HCL), account(tmp_path, "rest", add))
    [by_hand] = of(results, "GD101", Status.FAILED)
    assert by_hand.resource == f"{REST_API_ARN}/resources/7ctpavjm09/methods/DELETE"
    assert by_hand.file == "account.json" and "authorization = NONE" in by_hand.message
    assert "method /items DELETE of API gateaudit-rest is not in the code" in by_hand.message


def test_another_stack_in_the_account_is_not_reported(tmp_path: Path) -> None:
    """An account holds other stacks: only blocks of an API or function the code deploys are "only in the
    account"; the HTTP stack's API and routes say nothing against the REST code."""
    http = document("http")

    def add_http(doc: dict[str, Any]) -> None:
        doc["values"]["root_module"]["resources"].extend(
            r for r in http["values"]["root_module"]["resources"] if r["type"].startswith("aws_apigatewayv2_"))

    assert not_passed(drift(load(REST_HCL), account(tmp_path, "rest", add_http))) == []


# ----------------------------------------------------------------------------------------------- unknown

def test_code_value_that_cannot_be_known_is_unknown(tmp_path: Path) -> None:
    results = drift(load(CODE / "unknown_authorization"), account(tmp_path, "rest"))
    method = {r.status: r for r in results if r.resource == "aws_api_gateway_method.items_get"}
    assert set(method) == {Status.UNKNOWN, Status.FAILED}
    assert "authorization is unknown (var.authorization has no value" in method[Status.UNKNOWN].message
    assert "code: authorizer_id = not set; account: authorizer gateaudit-rest-api-key" in method[Status.FAILED].message
    # what this smaller code lacks is in the account only, as if created by hand: POST, the authorizer, the stage
    # (its method settings only raise the logging level: not reported)
    assert {(r.rule_id, r.status) for r in results if r.file == "account.json"} == {
        ("GD101", Status.FAILED), ("GD103", Status.FAILED), ("GD401", Status.FAILED)}
    assert [r.status for r in of(results, "GD100")] == [Status.PASSED, Status.PASSED]  # the API, /items


def test_code_name_that_cannot_be_known_cannot_be_paired(tmp_path: Path) -> None:
    results = drift(load(CODE / "unknown_api_name"), account(tmp_path, "rest"))
    assert [(r.rule_id, r.status) for r in results if r.resource == "aws_api_gateway_rest_api.api"] == [
        ("GD100", Status.UNKNOWN)]
    assert all(r.status == Status.UNKNOWN for r in results)  # its method, with no API to pair under


def test_two_apis_of_one_name_are_told_apart_by_tags(tmp_path: Path) -> None:
    def twin(doc: dict[str, Any]) -> None:
        api = resources(doc, "aws_api_gateway_rest_api")[0]
        api["values"]["tags"] = {"team": "payments"}
        other = copy.deepcopy(api)
        other["values"].update(id="zzzzzzzzzz", arn=f"{REST_API_ARN[:-10]}zzzzzzzzzz", tags={"team": "other"})
        other["address"] = other["values"]["arn"]
        doc["values"]["root_module"]["resources"].append(other)

    results = drift(load(CODE / "tagged_api"), account(tmp_path, "rest", twin))
    [api] = [r for r in results if r.resource == "aws_api_gateway_rest_api.api"]
    assert api.status == Status.PASSED and api.message.endswith(REST_API_ARN)


# ---------------------------------------------------------------------------------------------- the API

def test_drift_rules_are_described_for_the_reports() -> None:
    ids = [rule.id for rule in DRIFT_RULES]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    controls = {"1": "authorizer-attached", "3": "scoped-permission", "4": "logging-enabled"}
    assert all(rule.control == controls[rule.id[2]] for rule in DRIFT_RULES)
    assert [loaded.rule for loaded in DRIFT_LOADED] == list(DRIFT_RULES)
    table = (REPO / "docs" / "drift.md").read_text(encoding="utf-8")
    for rule in DRIFT_RULES:
        assert f"| {rule.id} | {rule.control} | {rule.severity.value} | {rule.title} |" in table


def test_drift_gives_every_result_of_a_rule_it_lists(tmp_path: Path) -> None:
    results = drift(load(REST_HCL), account(tmp_path, "rest"))
    assert results and {r.rule_id for r in results} <= {rule.id for rule in DRIFT_RULES}
    assert results == sorted(results, key=Result.sort_key)


def test_drift_reads_the_model_only() -> None:
    """No boto3, no files: drift imports the model, results and Rule, and the standard library's pure parts."""
    tree = ast.parse((REPO / "checker" / "drift.py").read_text(encoding="utf-8"))
    imported = {node.module if node.level == 0 else "." + node.module for node in ast.walk(tree)
                if isinstance(node, ast.ImportFrom)} | {alias.name for node in ast.walk(tree)
                                                       if isinstance(node, ast.Import) for alias in node.names}
    assert imported <= {"__future__", "re", "collections.abc", "dataclasses", "fnmatch", "typing", ".model",
                        ".provenance", ".result", ".rules",
                        ".rules._iam"}  # the policy reader GA302 uses: the model's values, no I/O


def test_a_drift_the_code_means_is_suppressed_by_a_comment_in_the_code(tmp_path: Path, monkeypatch, capsys) -> None:
    """`gateaudit drift` applies `# gateaudit:ignore GD101 reason=...` written above the code's block, as scan
    does; the README says so."""
    import shutil

    from gateaudit.cli import main

    shutil.copytree(REPO / "stack" / "terraform", tmp_path / "stack" / "terraform")
    main_tf = tmp_path / "stack" / "terraform" / "rest" / "main.tf"
    text = main_tf.read_text(encoding="utf-8")
    block = 'resource "aws_api_gateway_method" "items_post" {'
    written = text.replace(block, '# gateaudit:ignore GD101 reason="the code is stricter: the next apply closes it"\n'
                           + block).replace('http_method   = "POST"\n  authorization = "CUSTOM"',
                                            'http_method   = "POST"\n  authorization = "AWS_IAM"')
    assert written.count("AWS_IAM") == 1
    main_tf.write_text(written, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code = main(["drift", "stack/terraform/rest", "--from-snapshot", str(STATES / "rest_account.json"), "--no-config",
                 "--format", "json", "--output", "drift.json"])
    results = json.loads((tmp_path / "drift.json").read_text())["results"]
    [differing] = [r for r in results if r["status"] != "passed"]
    assert (differing["rule_id"], differing["status"], differing["resource"]) == (
        "GD101", "suppressed", "aws_api_gateway_method.items_post")
    assert "code: authorization = AWS_IAM; account: CUSTOM" in differing["message"]
    assert code == 0


def test_a_snapshot_already_read_is_not_read_again(tmp_path: Path, capsys) -> None:
    from gateaudit.cli import main

    assert main(["drift", str(REST_HCL), "--from-snapshot", str(STATES / "rest_account.json"),
                 "--region", "eu-west-1"]) == 2
    assert "--from-snapshot compares with an account already read: --region would read it again" in \
        capsys.readouterr().err
