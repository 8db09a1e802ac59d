"""The parser keeps lines and the structure of expressions, for HCL and for Terraform JSON."""

import pytest

from gateaudit.expr import Call, Conditional, Literal, Template, Traversal
from gateaudit.parse import ParseError, parse_hcl
from gateaudit.parse_json import parse_json

HCL = '''
resource "aws_api_gateway_method" "get" {
  rest_api_id = aws_api_gateway_rest_api.api.id

  authorization = var.open ? "NONE" : "CUSTOM" # why
  policy = jsonencode({
    Resource = "${aws_secretsmanager_secret.key.arn}/*"
  })
  access_log_settings {
    format = <<-EOT
      {"id": "$context.requestId", "api": "${var.name}"}
    EOT
  }
}
'''


def test_blocks_and_attributes_keep_their_lines():
    block = parse_hcl(HCL).blocks[0]
    assert (block.type, block.labels, block.line) == ("resource", ("aws_api_gateway_method", "get"), 2)
    assert {name: a.line for name, a in block.attributes.items()} == {
        "rest_api_id": 3, "authorization": 5, "policy": 6}
    nested = block.blocks[0]
    assert (nested.type, nested.line, nested.attributes["format"].line) == ("access_log_settings", 9, 10)


def test_expressions_keep_their_structure():
    attributes = parse_hcl(HCL).blocks[0].attributes
    assert attributes["rest_api_id"].expr.dotted() == "aws_api_gateway_rest_api.api.id"
    condition = attributes["authorization"].expr
    assert isinstance(condition, Conditional)
    assert (condition.if_true, condition.if_false) == (Literal(5, "NONE"), Literal(5, "CUSTOM"))
    call = attributes["policy"].expr
    assert isinstance(call, Call) and call.name == "jsonencode"


def test_heredoc_interpolations_are_parsed_and_indent_trimmed():
    heredoc = parse_hcl(HCL).blocks[0].blocks[0].attributes["format"].expr
    assert isinstance(heredoc, Template)
    assert heredoc.parts[0] == '{"id": "$context.requestId", "api": "'
    assert isinstance(heredoc.parts[1], Traversal) and heredoc.parts[1].dotted() == "var.name"
    assert heredoc.parts[1].line == 11


def test_comments_are_kept_with_their_lines():
    assert (5, "# why") in parse_hcl(HCL).comments


def test_escapes_in_strings():
    attributes = parse_hcl('a = "tab\\there \\"q\\" $${literal} \\u00e9"\n').attributes
    assert attributes["a"].expr == Literal(1, 'tab\there "q" ${literal} é')


@pytest.mark.parametrize(("text", "line"), [
    ('resource "a" "b" {\n  x = 1\n', 3),          # unclosed block
    ('resource "a" "b" {\n  x = 1 }\n}\n', 3),     # stray brace
    ('a = "x\\qy"\n', 1),                          # bad escape
    ('a = 1\na = 2\n', 2),                         # duplicate argument
])
def test_malformed_hcl_is_an_error_with_a_line(text, line):
    with pytest.raises(ParseError) as raised:
        parse_hcl(text)
    assert raised.value.line == line


def test_terraform_json_gives_blocks_lines_and_templates():
    text = '''{
  "resource": {
    "aws_api_gateway_stage": {
      "prod": {
        "rest_api_id": "${aws_api_gateway_rest_api.api.id}",
        "access_log_settings": {
          "destination_arn": "${aws_cloudwatch_log_group.access.arn}"
        }
      }
    }
  }
}'''
    block = parse_json(text).blocks[0]
    assert (block.labels, block.line) == (("aws_api_gateway_stage", "prod"), 4)
    assert block.attributes["rest_api_id"].line == 5
    assert block.attributes["rest_api_id"].expr.dotted() == "aws_api_gateway_rest_api.api.id"
    assert block.blocks[0].type == "access_log_settings"
    assert block.blocks[0].attributes["destination_arn"].line == 7


@pytest.mark.parametrize(("text", "line"), [
    ('{"resource": {\n  "aws_x": [1,\n', 3),
    ('{"resource": {}, "resource": {}}', 1),
    ('[1, 2]', 1),
    ('{"not_a_block": {}}', 1),
])
def test_malformed_terraform_json_is_an_error(text, line):
    with pytest.raises(ParseError) as raised:
        parse_json(text)
    assert raised.value.line == line


def test_terraform_json_uses_the_provider_schema_to_tell_blocks_from_objects():
    text = '''{"resource": {"aws_lambda_function": {"f": {
  "function_name": "f",
  "environment": {"variables": {"API_KEY_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:1:secret:k"}},
  "tags": {"team": "api"},
  "dynamic": {"vpc_config": {"for_each": [1], "content": {"subnet_ids": ["s"]}}}
}}}}'''
    block = parse_json(text).blocks[0]
    assert sorted(block.attributes) == ["function_name", "tags"]
    assert [b.type for b in block.blocks] == ["environment", "dynamic"]
    assert sorted(block.blocks[0].attributes) == ["variables"]
    assert [b.type for b in block.blocks[1].blocks] == ["content"]
