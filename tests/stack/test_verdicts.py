"""The reference stack passes every control; the blog seed fails each control, with exactly these rules."""

import json

import pytest

ALL_CONTROLS = {"authorizer-attached", "secret-not-hardcoded", "scoped-permission", "logging-enabled"}


def scan(run_cli, path: str) -> tuple[int, dict]:
    done = run_cli("scan", path, "--format", "json")
    return done.returncode, json.loads(done.stdout)


def problems_of(report: dict) -> list[str]:
    return [f"{r['rule_id']} {r['resource']} {r['status']}: {r['message']}"
            for r in report["results"] if r["status"] != "passed"]


def test_reference_stack_passes_every_control(run_cli):
    code, report = scan(run_cli, "stack/terraform")
    assert problems_of(report) == [] and report["errors"] == []
    assert code == 0
    judged = {c["id"] for c in report["controls"] if c["counts"]["passed"] > 0}
    assert judged >= ALL_CONTROLS, "every control judged something in the reference stack"
    # Both roots are scanned, each with the modules it calls loaded as its children.
    files = {r["file"] for r in report["results"]}
    assert {"rest/main.tf", "http/main.tf", "modules/api-key-authorizer/main.tf"} <= files


# Each root alone, and each module alone (a module has no API of its own: controls with nothing in scope
# are not applicable, which is no failure).
@pytest.mark.parametrize(("path", "controls_judged"), [
    pytest.param("stack/terraform/rest", ALL_CONTROLS, id="rest"),
    pytest.param("stack/terraform/http", ALL_CONTROLS, id="http"),
    pytest.param("stack/terraform/modules/api-key-authorizer",
                 {"secret-not-hardcoded", "scoped-permission", "logging-enabled"}, id="module-api-key-authorizer"),
    pytest.param("stack/terraform/modules/backend-function", {"scoped-permission", "logging-enabled"},
                 id="module-backend-function"),
])
def test_reference_stack_part_passes_alone(run_cli, path, controls_judged):
    code, report = scan(run_cli, path)
    assert problems_of(report) == [] and report["errors"] == []
    assert code == 0
    judged = {c["id"] for c in report["controls"] if c["counts"]["passed"] > 0}
    assert judged >= controls_judged


# (rule, resource) pairs that fail on the seed: a new or lost finding changes this list on purpose.
SEED_FAILURES = {
    ("GA101", "aws_api_gateway_method.items_get"),          # authorization = "NONE"
    ("GA201", "aws_secretsmanager_secret_version.api_key"),  # literal secret_string
    ("GA301", "aws_lambda_permission.apigw"),                # no source_arn
    ("GA302", "aws_iam_role_policy.authorizer"),             # secretsmanager:* on *
    ("GA401", "aws_api_gateway_stage.prod"),                 # no access logs
    ("GA402", "aws_api_gateway_stage.prod"),                 # no execution logging
    ("GA405", "aws_lambda_function.authorizer"),             # no log group with retention
    ("GA107", "aws_api_gateway_authorizer.api_key"),         # handler.py answers isAuthorized to a REST API
    ("GA108", "aws_api_gateway_authorizer.api_key"),         # handler.py compares the key with ==
    ("GA110", "aws_api_gateway_authorizer.api_key"),         # handler.py reads one spelling of the header
    ("GA407", "aws_api_gateway_authorizer.api_key"),         # handler.py logs the whole event
}
# Where in the seed's handler.py each of its code rules fails.
SEED_CODE_FAILURES = [("GA407", 24), ("GA110", 25), ("GA108", 27), ("GA107", 28), ("GA107", 29)]


def test_seed_fails_each_control_with_exactly_these_rules(run_cli):
    code, report = scan(run_cli, "stack/examples/seed")
    assert code == 1 and report["errors"] == []
    failed = {(r["rule_id"], r["resource"]) for r in report["results"] if r["status"] == "failed"}
    assert failed == SEED_FAILURES
    assert {r["control"] for r in report["results"] if r["status"] == "failed"} == ALL_CONTROLS


def test_seed_authorizer_code_fails_at_its_lines(run_cli):
    _, report = scan(run_cli, "stack/examples/seed")
    code_rules = ("GA107", "GA108", "GA109", "GA110", "GA209", "GA407")
    found = sorted((r["line"], r["rule_id"]) for r in report["results"]
                   if r["rule_id"] in code_rules and r["status"] == "failed")
    assert [(rule, line) for line, rule in found] == SEED_CODE_FAILURES
    assert {r["file"] for r in report["results"] if r["rule_id"] in code_rules} == {"handler.py"}
    # the message names the Lambda function and the API the code answers
    assert all("aws_lambda_function.authorizer (authorizer of aws_api_gateway_rest_api.api)" in r["message"]
               for r in report["results"] if r["rule_id"] in code_rules)
