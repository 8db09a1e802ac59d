"""OpenAPI bodies as a source (gateaudit.openapi): every path and verb a body defines becomes the block Terraform
would have written for it, placed at its path's line, and the rules judge it with no change; a body that cannot
be read leaves its routes unknown at the API, saying why."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gateaudit.engine import run_rules
from gateaudit.model import Unknown
from gateaudit.modules import load
from gateaudit.rules import load_rules

RULES = {loaded.rule.id: loaded for loaded in load_rules()}
REST = '''resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
  body = file("${path.module}/openapi.yaml")
}
'''
AUTH_URI = ("arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/"
            "arn:aws:lambda:us-east-1:123456789012:function:auth/invocations")
SCHEMES = f'''components:
  securitySchemes:
    auth:
      type: apiKey
      name: x-api-key
      in: header
      x-amazon-apigateway-authorizer:
        type: request
        identitySource: method.request.header.x-api-key
        authorizerUri: {AUTH_URI}
    usage_plan:
      type: apiKey
      name: x-api-key
      in: header
    sigv4:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: awsSigv4
    by_ref:
      $ref: "#/x-schemes/auth"
'''


def verdicts(tmp_path: Path, spec: str, rule: str = "GA101", main: str = REST) -> dict[str, tuple[str, str]]:
    (tmp_path / "main.tf").write_text(main)
    (tmp_path / "openapi.yaml").write_text(spec)
    stack, errors = load([tmp_path])
    assert not errors, [str(e) for e in errors]
    results, rule_errors = run_rules(stack, [RULES[rule]])
    assert not rule_errors
    return {r.resource: (r.status.value, r.message) for r in results}


@pytest.mark.parametrize(("operation", "expected"), [
    ("get: {security: [{auth: []}]}", "passed"),
    ("get: {}", "passed"),  # the document's security applies
    ("get: {security: []}", "failed"),  # none, overriding the document's
    ("get: {security: [{auth: []}, {}]}", "failed"),  # an empty alternative: callable without any
    ("get: {security: [{usage_plan: []}]}", "failed"),  # an API key is not authentication
    ("get: {security: [{sigv4: []}]}", "passed"),
    ("get: {security: [], x-amazon-apigateway-auth: {type: aws_iam}}", "passed"),
    ("get: {security: [{nobody: []}]}", "unknown"),  # a scheme the document does not define
    ("get: {security: [{by_ref: []}]}", "unknown"),  # a scheme elsewhere: not followed
])
def test_an_operation_is_authorized_as_api_gateway_imports_it(tmp_path, operation, expected):
    spec = f"openapi: 3.0.1\n{SCHEMES}security: [{{auth: []}}]\npaths:\n  /workouts:\n    {operation}\n"
    status, message = verdicts(tmp_path, spec)["aws_api_gateway_rest_api.api GET /workouts"]
    assert status == expected, message


def test_an_open_operation_is_named_and_placed_at_its_path_in_the_spec_file(tmp_path):
    spec = "openapi: 3.0.1\npaths:\n  /health:\n    head: {}\n  /debug:\n    x-amazon-apigateway-any-method: {}\n"
    (tmp_path / "main.tf").write_text(REST)
    (tmp_path / "openapi.yaml").write_text(spec)
    stack, _ = load([tmp_path])
    methods = {b.address: b for b in stack.resources("aws_api_gateway_method")}
    assert sorted(methods) == ["aws_api_gateway_rest_api.api ANY /debug", "aws_api_gateway_rest_api.api HEAD /health"]
    debug = methods["aws_api_gateway_rest_api.api ANY /debug"]
    assert (debug.location.file, debug.location.line, debug.location.origin) == ("openapi.yaml", 5, "openapi")
    assert debug.value("http_method") == "ANY" and debug.value("authorization") == "NONE"
    assert [b.address for b in debug.get("rest_api_id").referenced_blocks()] == ["aws_api_gateway_rest_api.api"]


def test_the_authorizer_a_scheme_defines_belongs_to_the_api_and_is_judged(tmp_path):
    spec = f"openapi: 3.0.1\n{SCHEMES}paths:\n  /w:\n    get: {{security: [{{auth: []}}]}}\n"
    (tmp_path / "main.tf").write_text(REST)
    (tmp_path / "openapi.yaml").write_text(spec)
    stack, _ = load([tmp_path])
    [authorizer] = stack.resources("aws_api_gateway_authorizer")
    assert authorizer.address == "aws_api_gateway_rest_api.api authorizer auth"
    assert (authorizer.location.file, authorizer.location.line) == ("openapi.yaml", 4)
    assert authorizer.value("type") == "REQUEST"
    [method] = stack.resources("aws_api_gateway_method")
    assert method.get("authorizer_id").referenced_blocks() == [authorizer]
    results, _ = run_rules(stack, [RULES["GA104"]])
    assert [(r.resource, r.status.value) for r in results] == [(authorizer.address, "passed")]


@pytest.mark.parametrize(("spec", "why"), [
    ("openapi: [3.0\n", "body is neither JSON nor YAML (line 2"),
    ('{"openapi": "3.0.1", "paths": {', "body is not valid JSON (line 1"),
    ("retention: 30\n", "body is not an OpenAPI or Swagger document"),
    ("openapi: 3.0.1\npaths: [a]\n", "the document has no paths map"),
    ("openapi: 3.0.1\npaths:\n  /x: 5\n", "path /x cannot be read: it is not a map"),
    ("openapi: 3.0.1\npaths:\n  /x: {$ref: '#/x-paths/x'}\n", "path /x cannot be read: it is a $ref"),
])
def test_a_body_that_cannot_be_read_leaves_its_routes_unknown(tmp_path, spec, why):
    found = verdicts(tmp_path, spec)
    unknown = [message for status, message in found.values() if status == "unknown"]
    assert len(unknown) == 1 and why in unknown[0]
    assert "the routes its body defines could not be read" in unknown[0] or "/x" in spec


def test_a_jsonencode_body_with_a_reference_keeps_it_for_the_rules(tmp_path):
    main = '''resource "aws_lambda_function" "auth" {
  function_name = "auth"
  role          = "arn:aws:iam::123456789012:role/auth"
  runtime       = "python3.12"
  handler       = "h.h"
  filename      = "auth.zip"
}

resource "aws_apigatewayv2_api" "http" {
  name          = "fitness"
  protocol_type = "HTTP"
  body = jsonencode({
    openapi = "3.0.1"
    components = { securitySchemes = { auth = { "x-amazon-apigateway-authorizer" = {
      type = "request", authorizerUri = aws_lambda_function.auth.invoke_arn,
      authorizerPayloadFormatVersion = "1.0", enableSimpleResponses = true } } } }
    paths = { "/w" = { get = { security = [{ auth = [] }] } } }
  })
}
'''
    (tmp_path / "main.tf").write_text(main)
    stack, _ = load([tmp_path])
    [authorizer] = stack.resources("aws_apigatewayv2_authorizer")
    uri = authorizer.get("authorizer_uri")
    assert isinstance(uri.value, Unknown)
    assert [(r.block.address, r.attribute) for r in uri.references] == [("aws_lambda_function.auth", "invoke_arn")]
    results, _ = run_rules(stack, [RULES["GA103"], RULES["GA105"]])
    assert {(r.rule_id, r.status.value) for r in results} == {("GA103", "passed"), ("GA105", "failed")}
    [route] = stack.resources("aws_apigatewayv2_route")
    assert (route.location.file, route.location.line) == ("main.tf", 17)  # the path's key in the HCL object


OPEN_SPEC = "openapi: 3.0.1\npaths:\n  /debug:\n    get: {}\n  /workouts:\n    get: {}\n"


def test_an_operation_address_works_in_exemptions_baselines_and_sarif(run_cli, tmp_path):
    folder = tmp_path / "infra"
    folder.mkdir()
    (folder / "main.tf").write_text(REST)
    (folder / "openapi.yaml").write_text(OPEN_SPEC)
    (folder / ".gateaudit.toml").write_text('[[exemptions]]\nresources = "aws_api_gateway_rest_api.api GET /debug"\n'
                                            'rules = ["GA101"]\nreason = "a public probe"\n')
    done = run_cli("scan", str(folder), "--format", "json", "--no-cache")
    statuses = {r["resource"]: r["status"] for r in json.loads(done.stdout)["results"]}
    assert statuses == {"aws_api_gateway_rest_api.api GET /debug": "suppressed",
                        "aws_api_gateway_rest_api.api GET /workouts": "failed"}
    (folder / ".gateaudit.toml").unlink()
    baseline = tmp_path / "baseline.json"
    assert run_cli("baseline", str(folder), "--output", str(baseline)).returncode == 0
    assert run_cli("scan", str(folder), "--baseline", str(baseline), "--no-cache").returncode == 0
    sarif = json.loads(run_cli("scan", str(folder), "--format", "sarif", "--no-cache").stdout)
    [run] = sarif["runs"]
    places = {(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
               r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].rsplit("/", 1)[-1],
               r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in run["results"]}
    assert ("aws_api_gateway_rest_api.api GET /debug", "openapi.yaml", 3) in places


def test_a_file_re_encoded_by_jsonencode_yamldecode_is_placed_in_the_file(tmp_path):
    main = REST.replace('file("${path.module}/openapi.yaml")',
                        'jsonencode(yamldecode(local.spec))\n}\n\nlocals {\n  spec = file("openapi.yaml")')
    found = verdicts(tmp_path, OPEN_SPEC, main=main)
    assert set(found) == {"aws_api_gateway_rest_api.api GET /debug", "aws_api_gateway_rest_api.api GET /workouts"}
    stack, _ = load([tmp_path])
    lines = {b.address: (b.location.file, b.location.line) for b in stack.resources("aws_api_gateway_method")}
    assert lines["aws_api_gateway_rest_api.api GET /workouts"] == ("openapi.yaml", 5)


def test_an_authorizer_type_known_only_at_apply_time_leaves_the_operation_unknown(tmp_path):
    main = '''variable "kind" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
  body = jsonencode({
    openapi    = "3.0.1"
    components = { securitySchemes = { auth = { "x-amazon-apigateway-authorizer" = { type = var.kind } } } }
    paths      = { "/w" = { get = { security = [{ auth = [] }] } } }
  })
}
'''
    (tmp_path / "main.tf").write_text(main)
    stack, _ = load([tmp_path])
    results, errors = run_rules(stack, list(RULES.values()))
    assert not errors
    [result] = [r for r in results if r.rule_id == "GA101"]
    assert (result.resource, result.status.value) == ("aws_api_gateway_rest_api.api GET /w", "unknown")
    assert "var.kind has no value" in result.message


EVERY_PART = '''{
  openapi  = "3.0.1"
  security = [{ auth = [] }]
  components = { securitySchemes = {
    auth = { type = "apiKey", name = "x-api-key", in = "header", "x-amazon-apigateway-authorizer" = {
      type = "token", identitySource = "method.request.header.x-api-key", authorizerResultTtlInSeconds = 0,
      authorizerUri = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/f/invocations" } }
    iam = { type = "apiKey", name = "Authorization", in = "header", "x-amazon-apigateway-authtype" = "awsSigv4" }
  } }
  paths = {
    "/w" = {
      get     = { security = [{ iam = [] }] }
      options = { security = [], "x-amazon-apigateway-integration" = { type = "mock" } }
      post    = { "x-amazon-apigateway-auth" = { type = "AWS_IAM" } }
    }
  }
}'''


def _literals(text: str) -> list[tuple[int, int]]:
    """The spans of the quoted values (not keys) in EVERY_PART."""
    import re

    return [m.span() for m in re.finditer(r'"[^"]*"', text) if not text[m.end():].lstrip().startswith("=")]


@pytest.mark.parametrize("span", _literals(EVERY_PART))
@pytest.mark.parametrize("api", ["aws_api_gateway_rest_api", "aws_apigatewayv2_api"])
def test_any_part_of_a_body_unknown_gives_verdicts_never_a_crash(tmp_path, api, span):
    body = EVERY_PART[:span[0]] + "var.unset" + EVERY_PART[span[1]:]
    protocol = '\n  protocol_type = "HTTP"' if api == "aws_apigatewayv2_api" else ""
    (tmp_path / "main.tf").write_text(f'variable "unset" {{}}\n\nresource "{api}" "api" {{\n  name = "x"{protocol}\n'
                                      f"  body = jsonencode({body})\n}}\n")
    stack, errors = load([tmp_path])
    assert not errors
    results, rule_errors = run_rules(stack, list(RULES.values()))
    assert not rule_errors
    judged = {r.resource for r in results if r.rule_id in ("GA101", "GA102")}
    assert judged, "the routes are judged, or unknown, never silently gone"


def test_a_template_directive_in_the_spec_leaves_its_routes_unknown(tmp_path):
    """`%{ if public }security: []%{ endif }` may open a route: a document a directive writes is not judged."""
    main = REST.replace('file("${path.module}/openapi.yaml")', 'templatefile("openapi.yaml", { public = false })')
    spec = ("openapi: 3.0.1\npaths:\n  /w:\n    get:\n      %{ if public }security: []%{ else }"
            "x-amazon-apigateway-auth: {type: AWS_IAM}%{ endif }\n")
    found = verdicts(tmp_path, spec, main=main)
    assert list(found) == ["aws_api_gateway_rest_api.api"]
    status, message = found["aws_api_gateway_rest_api.api"]
    assert status == "unknown" and "built by a template gateaudit cannot render: template directive %{if}" in message
