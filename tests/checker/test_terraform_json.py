"""A stack written in Terraform's JSON syntax is judged like the same stack in HCL, with its own lines."""

import json
from pathlib import Path

from gateaudit.engine import run_rules
from gateaudit.modules import load
from gateaudit.rules import load_rules

HCL = '''
resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_api_gateway_method" "open" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}

resource "aws_api_gateway_method" "guarded" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "POST"
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.key.id
}

resource "aws_api_gateway_authorizer" "key" {
  name            = "key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
}
'''

JSON = {
    "resource": {
        "aws_api_gateway_rest_api": {"api": {"name": "fitness"}},
        "aws_api_gateway_method": {
            "open": {
                "rest_api_id": "${aws_api_gateway_rest_api.api.id}",
                "resource_id": "${aws_api_gateway_rest_api.api.root_resource_id}",
                "http_method": "GET",
                "authorization": "NONE",
            },
            "guarded": {
                "rest_api_id": "${aws_api_gateway_rest_api.api.id}",
                "resource_id": "${aws_api_gateway_rest_api.api.root_resource_id}",
                "http_method": "POST",
                "authorization": "CUSTOM",
                "authorizer_id": "${aws_api_gateway_authorizer.key.id}",
            },
        },
        "aws_api_gateway_authorizer": {
            "key": {
                "name": "key",
                "rest_api_id": "${aws_api_gateway_rest_api.api.id}",
                "type": "REQUEST",
                "identity_source": "method.request.header.x-api-key",
            }
        },
    }
}


def verdicts(folder: Path) -> list[tuple]:
    stack, errors = load([folder])
    assert not errors, [str(e) for e in errors]
    results, rule_errors = run_rules(stack, load_rules())
    assert not rule_errors
    return results


def test_json_and_hcl_agree(tmp_path):
    (tmp_path / "hcl").mkdir()
    (tmp_path / "hcl" / "main.tf").write_text(HCL)
    (tmp_path / "json").mkdir()
    (tmp_path / "json" / "main.tf.json").write_text(json.dumps(JSON, indent=2))
    from_hcl = {(r.rule_id, r.resource, r.status) for r in verdicts(tmp_path / "hcl")}
    from_json = {(r.rule_id, r.resource, r.status) for r in verdicts(tmp_path / "json")}
    assert from_hcl == from_json
    assert ("GA101", "aws_api_gateway_method.open", "failed") in from_json
    assert ("GA101", "aws_api_gateway_method.guarded", "passed") in from_json


def test_json_results_point_at_the_block_key(tmp_path):
    text = json.dumps(JSON, indent=2)
    (tmp_path / "main.tf.json").write_text(text)
    lines = text.splitlines()
    expected = next(n for n, line in enumerate(lines, 1) if line.strip().startswith('"open"'))
    [open_method] = [r for r in verdicts(tmp_path) if r.resource == "aws_api_gateway_method.open"
                     and r.rule_id == "GA101"]
    assert (open_method.file, open_method.line) == ("main.tf.json", expected)
