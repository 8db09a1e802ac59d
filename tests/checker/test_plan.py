"""Scanning a Terraform plan or state JSON (issue 16): known by its content, read into the same model, the same
rules judging it; what the plan cannot know is unknown, sensitive values are masked, destroyed resources are
not judged, and results point at the configuration when it is beside the plan.

The plans here are small and written by hand, each for one behaviour; `tests/plans/` holds the ones terraform
made, judged against the HCL they came from.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from gateaudit.engine import ScanOptions, run_rules
from gateaudit.engine import scan as full_scan
from gateaudit.modules import load
from gateaudit.reports import FORMATS, renderer
from gateaudit.rules import load_rules

RULES = load_rules()
ROOT = Path(__file__).resolve().parents[2]


def resource(address: str, values: dict, *, unknown: dict | None = None, sensitive: dict | None = None,
             index: object = None, actions: tuple[str, ...] = ("create",), before: dict | None = None) -> dict:
    """One resource instance as `terraform show -json` writes it: its planned values and its change."""
    module, local = re.fullmatch(r'((?:module\.[^.\[]+(?:\[[^\]]*\])?\.)*)(.*)', address).groups()
    module = module.removesuffix(".")
    mode = "data" if local.startswith("data.") else "managed"
    type_, name = local.removeprefix("data.").split(".")[:2]
    name = name.split("[")[0]
    entry = {"address": address, "mode": mode, "type": type_, "name": name}
    if index is not None:
        entry["index"] = index
    if module:
        entry["module_address"] = module
    return {**entry, "values": values, "sensitive_values": sensitive or {},
            "change": {"actions": list(actions), "before": before, "after": None if actions == ("delete",) else values,
                       "after_unknown": unknown or {}, "after_sensitive": sensitive or {}}}


def plan(resources: list[dict], configuration: dict | None = None, variables: dict | None = None) -> dict:
    """A plan of these resources (module instances from their addresses), with the given configuration."""
    modules: dict[str, dict] = {"": {"resources": [], "child_modules": []}}
    for entry in resources:
        if entry["change"]["actions"] == ["delete"]:
            continue
        key = entry.get("module_address", "")
        if key not in modules:
            modules[key] = {"address": key, "resources": [], "child_modules": []}
            parent = key.rsplit(".module.", 1)[0] if ".module." in key else ""
            modules[parent]["child_modules"].append(modules[key])
        modules[key]["resources"].append({k: entry[k] for k in ("address", "mode", "type", "name", "index", "values",
                                                                 "sensitive_values") if k in entry})
    changes = [{k: v for k, v in entry.items() if k not in ("values", "sensitive_values")} for entry in resources]
    return {"format_version": "1.2", "terraform_version": "1.11.4", "variables": variables or {},
            "planned_values": {"root_module": modules[""]}, "resource_changes": changes,
            "configuration": configuration or {"root_module": {}}}


def refs(*names: str) -> dict:
    return {"references": list(names)}


def scan(tmp_path: Path, document: dict | str, name: str = "plan.json", config: dict[str, str] | None = None,
         **options) -> tuple[list[tuple[str, str, str, str, int]], list[str], object]:
    """(rule, status, address, file, line) of every result, the errors, and the stack."""
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True, exist_ok=True)
    for file, text in (config or {}).items():
        (repo / file).parent.mkdir(parents=True, exist_ok=True)
        (repo / file).write_text(text)
    path = repo / name
    path.write_text(document if isinstance(document, str) else json.dumps(document, indent=1))
    stack, errors = load([path], repository=repo, use_cache=False, **options)
    results, rule_errors = run_rules(stack, RULES)
    assert not rule_errors
    found = sorted((r.rule_id, r.status.value, r.resource, r.file, r.line) for r in results)
    return found, [f"{e.file}:{e.line}: {e.message}" for e in errors], stack


def verdicts(found: list[tuple], *rules: str) -> list[tuple[str, str, str]]:
    return [(rule, status, address) for rule, status, address, _, _ in found if rule in rules]


OPEN_ROUTE_HCL = 'resource "aws_apigatewayv2_route" "open" {\n  authorization_type = "NONE"\n}\n'
OPEN_ROUTE = resource("aws_apigatewayv2_route.open", {"api_id": "a1", "route_key": "GET /",
                                                      "authorization_type": "NONE"})


# ------------------------------------------------------------------------------------------------ input

def test_a_plan_is_known_by_its_content_whatever_its_name(tmp_path):
    found, errors, _ = scan(tmp_path, plan([OPEN_ROUTE]), name="tfplan.out.txt")
    assert errors == []
    assert verdicts(found, "GA102") == [("GA102", "failed", "aws_apigatewayv2_route.open")]


@pytest.mark.parametrize(("text", "expected"), [
    ('{"format_version": "1.2", "planned_values": {"root_module": {', "plan.json:1: truncated JSON"),
    ('{"Modules": []}', "plan.json:1: JSON, but not a Terraform plan or state"),
    ("resource x {}\n", "plan.json:1: not JSON"),
    ('{"format_version": "2.0", "planned_values": {}}', "plan.json:1: format_version '2.0': gateaudit reads 1.x"),
    ("[" * 100_000, "plan.json:None: JSON nested too deeply"),
])
def test_what_is_not_a_plan_is_an_error_saying_why(tmp_path, text, expected):
    _, errors, _ = scan(tmp_path, text)
    assert len(errors) == 1 and errors[0].startswith(expected), errors


def test_the_command_line_exits_2_on_a_broken_plan(tmp_path, run_cli):
    path = tmp_path / "plan.json"
    path.write_text('{"format_version": "1.2", "resource_changes": [')
    done = run_cli("scan", str(path), "--no-cache")
    assert done.returncode == 2
    assert "plan.json:1: truncated JSON" in done.stdout + done.stderr


def test_a_state_is_read_too(tmp_path):
    state = {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": [
        {k: v for k, v in OPEN_ROUTE.items() if k in ("address", "mode", "type", "name", "values")}]}}}
    found, errors, _ = scan(tmp_path, state, name="terraform.tfstate.json")
    assert errors == []
    assert verdicts(found, "GA102") == [("GA102", "failed", "aws_apigatewayv2_route.open")]


# ------------------------------------------------------------------------------------------------ values

def test_a_value_known_only_after_apply_is_unknown_saying_so(tmp_path):
    route = resource("aws_apigatewayv2_route.r", {"api_id": "a1", "route_key": "GET /"},
                     unknown={"authorization_type": True})
    configuration = {"root_module": {"resources": [{"address": "aws_apigatewayv2_route.r", "mode": "managed",
                                                    "type": "aws_apigatewayv2_route", "name": "r", "expressions": {
                                                        "authorization_type": refs("aws_ssm_parameter.p.value")}}]}}
    _, _, stack = scan(tmp_path, plan([route], configuration))
    [block] = stack.resources("aws_apigatewayv2_route")
    value = block.value("authorization_type")
    assert value.reason == "known only after apply"
    results, _ = run_rules(stack, [r for r in RULES if r.rule.id == "GA102"])
    assert [(r.status.value, "known only after apply" in r.message) for r in results] == [("unknown", True)]


def test_for_each_modules_give_every_instance_its_address(tmp_path):
    eu = resource('module.api["eu"].aws_apigatewayv2_route.r', {"api_id": "a", "route_key": "GET /",
                                                                "authorization_type": "NONE"})
    us = resource('module.api["us"].aws_apigatewayv2_route.r', {"api_id": "b", "route_key": "GET /",
                                                                "authorization_type": "AWS_IAM"})
    found, errors, stack = scan(tmp_path, plan([eu, us]))
    assert errors == []
    assert verdicts(found, "GA102") == [("GA102", "failed", 'module.api["eu"].aws_apigatewayv2_route.r'),
                                        ("GA102", "passed", 'module.api["us"].aws_apigatewayv2_route.r')]
    assert sorted(m.key for m in stack.modules) == ["", 'module.api["eu"]', 'module.api["us"]']


AUTHORIZED_METHOD = {
    "api": resource("aws_api_gateway_rest_api.api", {"name": "api"}),
    "authorizer": resource("module.auth.aws_api_gateway_authorizer.this",
                           {"name": "key", "type": "REQUEST", "identity_source": "method.request.header.x-api-key"},
                           unknown={"rest_api_id": True, "authorizer_uri": True}),
    "method": resource("aws_api_gateway_method.get", {"http_method": "GET", "authorization": "CUSTOM"},
                       unknown={"rest_api_id": True, "resource_id": True, "authorizer_id": True}),
}
AUTHORIZED_CONFIGURATION = {"root_module": {
    "resources": [
        {"address": "aws_api_gateway_rest_api.api", "mode": "managed", "type": "aws_api_gateway_rest_api",
         "name": "api", "expressions": {"name": {"constant_value": "api"}}},
        {"address": "aws_api_gateway_method.get", "mode": "managed", "type": "aws_api_gateway_method", "name": "get",
         "expressions": {"rest_api_id": refs("aws_api_gateway_rest_api.api.id", "aws_api_gateway_rest_api.api"),
                         "resource_id": refs("aws_api_gateway_rest_api.api.root_resource_id"),
                         "authorization": {"constant_value": "CUSTOM"},
                         "authorizer_id": refs("module.auth.id", "module.auth")}}],
    "module_calls": {"auth": {"source": "./auth", "expressions": {"api": refs("local.api_id")}, "module": {
        "resources": [{"address": "aws_api_gateway_authorizer.this", "mode": "managed",
                       "type": "aws_api_gateway_authorizer", "name": "this", "expressions": {
                           "rest_api_id": refs("var.api"), "authorizer_uri": refs("var.uri")}}],
        "outputs": {"id": {"expression": refs("aws_api_gateway_authorizer.this.id",
                                              "aws_api_gateway_authorizer.this")}},
        "variables": {"api": {}, "uri": {}}}}}}}


def test_references_are_followed_through_module_outputs_variables_and_locals_beside_the_plan(tmp_path):
    """The method's authorizer is a module output; the module's API is the caller's local: the plan names the
    local only, so the configuration beside it says what the local refers to."""
    config = {"main.tf": 'locals {\n  api_id = aws_api_gateway_rest_api.api.id\n}\n'}
    found, errors, stack = scan(tmp_path, plan(list(AUTHORIZED_METHOD.values()), AUTHORIZED_CONFIGURATION),
                                config=config)
    assert errors == []
    [method] = stack.resources("aws_api_gateway_method")
    assert [r.block.address for r in method.get("authorizer_id").references] == [
        "module.auth.aws_api_gateway_authorizer.this"]
    [authorizer] = stack.resources("aws_api_gateway_authorizer")
    assert [(r.block.address, r.attribute) for r in authorizer.get("rest_api_id").references] == [
        ("aws_api_gateway_rest_api.api", "id")]
    assert verdicts(found, "GA101") == [("GA101", "passed", "aws_api_gateway_method.get")]


def test_without_the_configuration_a_local_is_not_followed_and_the_verdict_says_it_cannot_tell(tmp_path):
    found, errors, _ = scan(tmp_path, plan(list(AUTHORIZED_METHOD.values()), AUTHORIZED_CONFIGURATION))
    assert errors == []
    assert verdicts(found, "GA101") == [("GA101", "unknown", "aws_api_gateway_method.get")]


def test_a_sensitive_value_is_masked_in_every_report(tmp_path):
    secret = "ghp_" + "x1Y2z3" * 6
    parameter = resource("aws_ssm_parameter.token", {"name": "/ci/token", "type": "String", "value": secret},
                         sensitive={"value": True})
    configuration = {"root_module": {"resources": [{
        "address": "aws_ssm_parameter.token", "mode": "managed", "type": "aws_ssm_parameter", "name": "token",
        "expressions": {"name": {"constant_value": "/ci/token"}, "value": {"constant_value": secret}}}]}}
    repo = tmp_path / "repo"
    config = {"main.tf": f'resource "aws_ssm_parameter" "token" {{\n  name  = "/ci/token"\n  value = "{secret}"\n}}\n'}
    found, _, _ = scan(tmp_path, plan([parameter], configuration), config=config)
    assert ("GA207", "failed", "aws_ssm_parameter.token") in verdicts(found, "GA207")
    report = full_scan(ScanOptions(paths=[repo / "plan.json"], display_paths=["plan.json"], root=repo,
                                   use_cache=False, use_config=False))
    for name in FORMATS:
        module = renderer(name)
        text = module.render(report, verbose=True) if name == "text" else module.render(report)
        assert secret not in text, name


def test_a_value_the_plan_marks_sensitive_is_masked_where_no_secret_rule_looked(tmp_path):
    """A sensitive variable fed into an argument a logging rule quotes: the plan says it is sensitive."""
    secret = "s3cr3t-" + "q9" * 10
    stage = resource("aws_api_gateway_stage.v1", {"stage_name": "v1", "rest_api_id": "abc", "access_log_settings": [
        {"destination_arn": secret, "format": "$context.requestId"}]}, sensitive={"access_log_settings": [
            {"destination_arn": True}]})
    repo = tmp_path / "repo"
    scan(tmp_path, plan([stage]))
    report = full_scan(ScanOptions(paths=[repo / "plan.json"], display_paths=["plan.json"], root=repo,
                                   use_cache=False, use_config=False))
    [result] = [r for r in report.results if r.rule_id == "GA401"]
    assert result.status.value == "failed" and "****" in result.message
    for name in FORMATS:
        module = renderer(name)
        text = module.render(report, verbose=True) if name == "text" else module.render(report)
        assert secret not in text, name


SECRET = "an-api-key-" + "7f3a" * 6


@pytest.mark.parametrize(("expression", "declared", "given", "status"), [
    ({"constant_value": SECRET}, {}, None, "failed"),  # written in the configuration
    ({"references": ["var.key"]}, {"key": {"sensitive": True}}, SECRET, "passed"),  # set when the plan was made
    ({"references": ["var.key"]}, {"key": {"default": SECRET}}, SECRET, "failed"),  # the default, in the repository
    ({"references": ["local.key"]}, {}, None, "unknown"),  # a local: the plan does not show what it is
])
def test_a_secret_is_judged_by_how_the_configuration_writes_it(tmp_path, expression, declared, given, status):
    """The plan knows every value; whether one sits in the repository is the configuration's to say."""
    version = resource("aws_secretsmanager_secret_version.key", {"secret_id": "s", "secret_string": SECRET},
                       sensitive={"secret_string": True})
    configuration = {"root_module": {"variables": declared, "resources": [{
        "address": "aws_secretsmanager_secret_version.key", "mode": "managed",
        "type": "aws_secretsmanager_secret_version", "name": "key",
        "expressions": {"secret_id": {"constant_value": "s"}, "secret_string": expression}}]}}
    variables = {"key": {"value": given}} if given is not None else {}
    found, errors, _ = scan(tmp_path, plan([version], configuration, variables))
    assert errors == []
    assert verdicts(found, "GA201") == [("GA201", status, "aws_secretsmanager_secret_version.key")]


def test_a_state_cannot_say_whether_a_secret_is_written_in_the_configuration(tmp_path):
    state = {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": [
        {"address": "aws_secretsmanager_secret_version.key", "mode": "managed",
         "type": "aws_secretsmanager_secret_version", "name": "key",
         "values": {"secret_id": "s", "secret_string": SECRET}, "sensitive_values": {"secret_string": True}}]}}}
    found, errors, _ = scan(tmp_path, state)
    assert errors == []
    assert verdicts(found, "GA201") == [("GA201", "unknown", "aws_secretsmanager_secret_version.key")]


def test_a_local_beside_the_plan_that_writes_the_secret_is_a_literal(tmp_path):
    version = resource("aws_secretsmanager_secret_version.key", {"secret_id": "s", "secret_string": SECRET},
                       sensitive={"secret_string": True})
    configuration = {"root_module": {"resources": [{
        "address": "aws_secretsmanager_secret_version.key", "mode": "managed",
        "type": "aws_secretsmanager_secret_version", "name": "key",
        "expressions": {"secret_string": {"references": ["local.key"]}}}]}}
    config = {"main.tf": f'locals {{\n  key = "{SECRET}"\n}}\n'}
    found, errors, _ = scan(tmp_path, plan([version], configuration), config=config)
    assert errors == []
    assert verdicts(found, "GA201") == [("GA201", "failed", "aws_secretsmanager_secret_version.key")]


def state_of(*resources: tuple[str, dict]) -> dict:
    entries = []
    for address, values in resources:
        type_, name = address.split(".")
        entries.append({"address": address, "mode": "managed", "type": type_, "name": name, "values": values})
    return {"format_version": "1.0", "terraform_version": "1.11.4", "values": {"root_module": {"resources": entries}}}


@pytest.mark.parametrize(("authorizer_api", "status"), [("a1b2c3", "passed"), ("zz9yy8", "failed")])
def test_in_a_state_an_id_refers_to_the_resource_it_identifies(tmp_path, authorizer_api, status):
    """A deployed method's authorizer_id is the id of an authorizer: of the method's own API, or another's."""
    state = state_of(
        ("aws_api_gateway_rest_api.api", {"id": "a1b2c3", "name": "api", "root_resource_id": "r00t11",
                                          "execution_arn": "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3"}),
        ("aws_api_gateway_rest_api.other", {"id": "zz9yy8", "name": "other", "root_resource_id": "r00t22"}),
        ("aws_api_gateway_authorizer.key", {"id": "auth01", "rest_api_id": authorizer_api, "type": "REQUEST",
                                            "identity_source": "method.request.header.x-api-key"}),
        ("aws_api_gateway_method.get", {"id": "m1", "rest_api_id": "a1b2c3", "resource_id": "r00t11",
                                        "http_method": "GET", "authorization": "CUSTOM",
                                        "authorizer_id": "auth01"}))
    found, errors, stack = scan(tmp_path, state)
    assert errors == []
    [method] = stack.resources("aws_api_gateway_method")
    assert [(r.block.address, r.attribute) for r in method.get("authorizer_id").references] == [
        ("aws_api_gateway_authorizer.key", "id")]
    assert verdicts(found, "GA101") == [("GA101", status, "aws_api_gateway_method.get")]


# ------------------------------------------------------------------------------------------------ changes

def test_resources_being_destroyed_are_not_judged(tmp_path):
    gone = resource("aws_apigatewayv2_route.old", OPEN_ROUTE["values"], actions=("delete",),
                    before=OPEN_ROUTE["values"])
    found, errors, _ = scan(tmp_path, plan([gone, resource("aws_apigatewayv2_route.kept", {
        "api_id": "a1", "route_key": "GET /x", "authorization_type": "AWS_IAM"})]))
    assert errors == []
    assert verdicts(found, "GA102") == [("GA102", "passed", "aws_apigatewayv2_route.kept")]


def test_a_destroyed_access_log_group_is_a_finding_on_the_stage_that_still_names_it(tmp_path):
    arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/api/access"
    group = resource("aws_cloudwatch_log_group.access", None, actions=("delete",),
                     before={"name": "/api/access", "arn": arn, "retention_in_days": 90})
    stage = resource("aws_api_gateway_stage.v1", {
        "stage_name": "v1", "rest_api_id": "abc", "deployment_id": "d1",
        "access_log_settings": [{"destination_arn": arn, "format": "$context.requestId"}]}, actions=("no-op",))
    _, errors, stack = scan(tmp_path, plan([group, stage]))
    assert errors == []
    [result] = [r for r in run_rules(stack, [r for r in RULES if r.rule.id == "GA401"])[0]]
    assert result.status.value == "failed"
    assert "aws_cloudwatch_log_group.access is being destroyed by this plan" in result.message


def test_destroyed_method_settings_are_named_in_the_stage_finding(tmp_path):
    settings = resource("aws_api_gateway_method_settings.all", None, actions=("delete",), before={
        "rest_api_id": "abc", "stage_name": "v1", "method_path": "*/*", "settings": [{"logging_level": "INFO"}]})
    stage = resource("aws_api_gateway_stage.v1", {"stage_name": "v1", "rest_api_id": "abc"}, actions=("no-op",))
    _, _, stack = scan(tmp_path, plan([settings, stage]))
    [result] = run_rules(stack, [r for r in RULES if r.rule.id == "GA402"])[0]
    assert result.status.value == "failed"
    assert result.message.startswith("aws_api_gateway_method_settings.all, which set it, is being destroyed")


def test_a_destroyed_function_log_group_is_named_in_the_function_finding(tmp_path):
    group = resource("aws_cloudwatch_log_group.f", None, actions=("delete",),
                     before={"name": "/aws/lambda/orders", "retention_in_days": 90})
    function = resource("aws_lambda_function.f", {"function_name": "orders", "runtime": "python3.12"},
                        actions=("no-op",))
    _, _, stack = scan(tmp_path, plan([group, function]))
    [result] = run_rules(stack, [r for r in RULES if r.rule.id == "GA405"])[0]
    assert result.status.value == "failed"
    assert result.message.startswith("its log group aws_cloudwatch_log_group.f is being destroyed by this plan")


# ------------------------------------------------------------------------------------------------ where

def test_results_point_at_the_configuration_beside_the_plan(tmp_path):
    config = {"main.tf": '\n\nresource "aws_apigatewayv2_route" "open" {\n  api_id = "a1"\n  route_key = "GET /"\n'
                         '  authorization_type = "NONE"\n}\n'}
    found, errors, _ = scan(tmp_path, plan([OPEN_ROUTE]), config=config)
    assert errors == []
    assert [(file, line) for rule, *_, file, line in found if rule == "GA102"] == [("main.tf", 3)]  # as HCL


def line_of(tmp_path: Path, address: str) -> int:
    """The line of the plan file where the address first appears."""
    lines = (tmp_path / "repo" / "plan.json").read_text().splitlines()
    return next(number for number, line in enumerate(lines, 1) if f'"address": {json.dumps(address)}' in line)


def test_without_the_configuration_results_point_at_the_resource_in_the_plan(tmp_path):
    found, _, _ = scan(tmp_path, plan([OPEN_ROUTE]))
    line = line_of(tmp_path, "aws_apigatewayv2_route.open")
    assert line > 1
    assert [(file, line) for rule, *_, file, line in found if rule == "GA102"] == [("plan.json", line)]


def test_a_plan_on_one_line_as_terraform_writes_it_is_pointed_at_its_line(tmp_path):
    found, _, _ = scan(tmp_path, json.dumps(plan([OPEN_ROUTE])))
    assert [(file, line) for rule, *_, file, line in found if rule == "GA102"] == [("plan.json", 1)]


def test_config_dir_names_the_configuration_elsewhere(tmp_path):
    config = {"infra/main.tf": 'resource "aws_apigatewayv2_route" "open" {\n  authorization_type = "NONE"\n}\n'}
    found, errors, _ = scan(tmp_path, plan([OPEN_ROUTE]), config=config, config_dir=tmp_path / "repo" / "infra")
    assert errors == []
    assert [(file, line) for rule, *_, file, line in found if rule == "GA102"] == [("infra/main.tf", 1)]


def test_config_dir_without_a_plan_is_an_error_not_ignored(tmp_path, run_cli):
    (tmp_path / "main.tf").write_text(OPEN_ROUTE_HCL)
    done = run_cli("scan", str(tmp_path), "--config-dir", str(tmp_path), "--no-cache", "--no-config")
    assert done.returncode == 2
    assert "--config-dir names the configuration of a scanned plan or state JSON" in done.stdout + done.stderr


def test_an_inline_suppression_in_the_configuration_applies_to_the_plan_result(tmp_path, run_cli):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "main.tf").write_text('# gateaudit:ignore GA102 reason="a public health check"\n'
                                  'resource "aws_apigatewayv2_route" "open" {\n  authorization_type = "NONE"\n}\n')
    (repo / "plan.json").write_text(json.dumps(plan([OPEN_ROUTE])))
    done = run_cli("scan", "plan.json", "--no-cache", "--format", "json", "--no-config", cwd=repo)
    [result] = [r for r in json.loads(done.stdout)["results"] if r["rule_id"] == "GA102"]
    assert (result["status"], result["file"], result["line"]) == ("suppressed", "main.tf", 2)
    assert result["suppression"]["reason"] == "a public health check"


def test_a_module_source_in_the_plan_cannot_make_gateaudit_read_outside_the_repository(tmp_path):
    """The plan's configuration is the pull request's: a call whose source leaves the repository is not read, and
    its resources are judged at the plan file."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "main.tf").write_text('resource "aws_apigatewayv2_route" "open" {\n  authorization_type = "NONE"\n}\n')
    route = resource("module.evil.aws_apigatewayv2_route.open", OPEN_ROUTE["values"])
    configuration = {"root_module": {"module_calls": {"evil": {"source": "../outside", "module": {"resources": [
        {"address": "aws_apigatewayv2_route.open", "mode": "managed", "type": "aws_apigatewayv2_route",
         "name": "open", "expressions": {}}]}}}}}
    found, errors, stack = scan(tmp_path, plan([route], configuration), config={"main.tf": ""})
    assert errors == []
    assert [(rule, file, line) for rule, status, _, file, line in found if rule == "GA102"] == [
        ("GA102", "plan.json", line_of(tmp_path, "module.evil.aws_apigatewayv2_route.open"))]
    assert not any("outside" in file for file in stack.files)


def test_a_changed_plan_is_judged_again_not_taken_from_the_scan_cache(tmp_path, run_cli):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "plan.json").write_text(json.dumps(plan([OPEN_ROUTE])))
    first = run_cli("scan", "plan.json", "--no-config", cwd=repo)
    closed = resource("aws_apigatewayv2_route.open", {**OPEN_ROUTE["values"], "authorization_type": "AWS_IAM"})
    (repo / "plan.json").write_text(json.dumps(plan([closed])))
    second = run_cli("scan", "plan.json", "--no-config", cwd=repo)
    assert (first.returncode, second.returncode) == (1, 0), second.stdout


def test_data_sources_read_while_planning_come_from_the_prior_state(tmp_path):
    """Terraform keeps a data source it could read at plan time in `prior_state` only: a function logging to a
    log group read by a data source is judged as one whose retention is set elsewhere, not as one with none."""
    function = resource("aws_lambda_function.f", {"function_name": "f", "runtime": "python3.12",
                                                  "logging_config": [{"log_group": "/shared/logs",
                                                                      "log_format": "JSON"}]})
    configuration = {"root_module": {"resources": [{
        "address": "aws_lambda_function.f", "mode": "managed", "type": "aws_lambda_function", "name": "f",
        "expressions": {"function_name": {"constant_value": "f"}, "logging_config": [
            {"log_group": refs("data.aws_cloudwatch_log_group.shared.name")}]}}]}}
    document = plan([function], configuration)
    document["prior_state"] = {"format_version": "1.0", "values": {"root_module": {"resources": [
        {"address": "data.aws_cloudwatch_log_group.shared", "mode": "data", "type": "aws_cloudwatch_log_group",
         "name": "shared", "values": {"name": "/shared/logs", "retention_in_days": 30}}]}}}
    found, errors, stack = scan(tmp_path, document)
    assert errors == []
    assert [b.address for b in stack.data("aws_cloudwatch_log_group")] == ["data.aws_cloudwatch_log_group.shared"]
    assert verdicts(found, "GA405") == [("GA405", "unknown", "aws_lambda_function.f")]


def test_sarif_points_at_the_configuration_line_of_a_plan_result(tmp_path, run_cli):
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    (repo / "infra").mkdir()
    (repo / "infra" / "main.tf").write_text('resource "aws_apigatewayv2_route" "open" {\n'
                                            '  authorization_type = "NONE"\n}\n')
    (repo / "plan.json").write_text(json.dumps(plan([OPEN_ROUTE])))
    done = run_cli("scan", "plan.json", "--config-dir", "infra", "--no-cache", "--no-config", "--format", "sarif",
                   cwd=repo)
    [result] = [r for r in json.loads(done.stdout)["runs"][0]["results"] if r["ruleId"] == "GA102"]
    location = result["locations"][0]["physicalLocation"]
    assert (location["artifactLocation"]["uri"], location["region"]["startLine"]) == ("infra/main.tf", 1)


@pytest.mark.parametrize(("beside", "status"), [(True, "passed"), (False, "failed")])
def test_lifecycle_ignore_changes_is_read_from_the_configuration_beside_the_plan(tmp_path, beside, status):
    """A plan has no `lifecycle`: a SecureString created with a placeholder whose changes Terraform ignores (the
    fix GA207 suggests) passes when the configuration beside the plan says so, and fails without it."""
    parameter = resource("aws_ssm_parameter.api_key", {"name": "/fitness/api-key", "type": "SecureString",
                                                       "value": "placeholder"}, sensitive={"value": True})
    configuration = {"root_module": {"resources": [{
        "address": "aws_ssm_parameter.api_key", "mode": "managed", "type": "aws_ssm_parameter", "name": "api_key",
        "expressions": {"name": {"constant_value": "/fitness/api-key"}, "type": {"constant_value": "SecureString"},
                        "value": {"constant_value": "placeholder"}}}]}}
    config = {"main.tf": (ROOT / "tests/rules/GA207/pass_secure_string_placeholder_changes_ignored.tf").read_text()}
    found, errors, _ = scan(tmp_path, plan([parameter], configuration), config=config if beside else None)
    assert errors == []
    assert verdicts(found, "GA207") == [("GA207", status, "aws_ssm_parameter.api_key")]
