"""A variable's value is converted to its declared type as Terraform converts it: optional() attributes are null
or take their defaults, undeclared attributes are dropped, unknowns stay unknown."""

from pathlib import Path

import pytest

from gateaudit.model import Unknown
from gateaudit.modules import load


def variable_of(tmp_path: Path, declaration: str, files: dict[str, str] | None = None):
    (tmp_path / "main.tf").write_text(f'{declaration}\nlocals {{\n  probe = var.v\n}}\n')
    for name, content in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    stack, errors = load([tmp_path], use_cache=False)
    assert not errors, [str(e) for e in errors]
    return stack.modules[0].locals["probe"].value


ROUTES = '''variable "v" {
  type = map(object({
    path  = string
    auth  = optional(string)
    mode  = optional(string, "NONE")
    flags = optional(object({ trace = optional(bool, false), tags = optional(list(string), []) }), {})
  }))
  default = %s
}'''


def test_omitted_optional_attributes_are_null_or_their_default_and_undeclared_ones_are_dropped(tmp_path):
    value = variable_of(tmp_path, ROUTES % '{ orders = { path = "/orders", extra = "not declared" } }')
    assert value == {"orders": {"path": "/orders", "auth": None, "mode": "NONE",
                                "flags": {"trace": False, "tags": []}}}


def test_a_null_attribute_takes_its_default_and_a_given_one_is_kept(tmp_path):
    value = variable_of(tmp_path, ROUTES % '{ a = { path = "/a", mode = null, flags = { tags = ["x"] } }, '
                                           'b = { path = "/b", mode = "AWS_IAM", auth = "CUSTOM" } }')
    assert value["a"] == {"path": "/a", "auth": None, "mode": "NONE", "flags": {"trace": False, "tags": ["x"]}}
    assert value["b"]["mode"] == "AWS_IAM" and value["b"]["auth"] == "CUSTOM"


@pytest.mark.parametrize(("constraint", "given", "expected"), [
    ("list(object({ a = optional(number, 3) }))", "[{}, { a = 7 }]", [{"a": 3}, {"a": 7}]),
    ("set(object({ a = optional(bool, true) }))", "[{}]", [{"a": True}]),
    ("tuple([object({ a = optional(string, \"x\") }), string])", '[{}, "y"]', [{"a": "x"}, "y"]),
    ("object({ inner = object({ deep = optional(list(object({ z = optional(number, 1) })), [{}]) }) })",
     "{ inner = {} }", {"inner": {"deep": [{"z": 1}]}}),
    ("map(string)", "{ a = 5, b = true }", {"a": "5", "b": "true"}),  # primitives convert as in Terraform
    ("set(string)", '["a", "b", "a"]', ["a", "b"]),
    ("set(number)", '[1, "1", 2]', [1, 2]),
    ("any", '{ a = {} }', {"a": {}}),
])
def test_defaults_apply_through_nested_objects_collections_and_tuples(tmp_path, constraint, given, expected):
    assert variable_of(tmp_path, f'variable "v" {{\n  type = {constraint}\n  default = {given}\n}}') == expected


def test_a_type_gateaudit_cannot_read_leaves_the_value_as_given(tmp_path):
    value = variable_of(tmp_path, 'variable "v" {\n  type = object({ a = strange(string) })\n'
                                  '  default = { b = 1 }\n}')
    assert value == {"b": 1}


def test_unknowns_stay_unknown_where_they_are(tmp_path):
    declaration = ROUTES % '{ a = { path = aws_apigatewayv2_api.x.id } }' + \
        '\nresource "aws_apigatewayv2_api" "x" {\n  name = "x"\n  protocol_type = "HTTP"\n}'
    value = variable_of(tmp_path, declaration)
    assert isinstance(value["a"]["path"], Unknown)
    assert value["a"]["mode"] == "NONE"
    whole = variable_of(tmp_path, 'variable "v" {\n  type = object({ a = optional(string, "x") })\n}')
    assert isinstance(whole, Unknown) and "has no value" in whole.reason


def test_tfvars_and_module_arguments_are_converted_too(tmp_path):
    module = ('variable "v" {\n  type = object({ mode = optional(string, "NONE") })\n}\n'
              'output "mode" {\n  value = var.v.mode\n}\n')
    value = variable_of(tmp_path, 'variable "v" {\n  type = object({ a = optional(string, "d"), b = string })\n}\n'
                                  'module "m" {\n  source = "./m"\n  v = { other = 1 }\n}',
                        {"terraform.tfvars": 'v = { b = "set" }\n', "m/main.tf": module})
    assert value == {"a": "d", "b": "set"}
    stack, _ = load([tmp_path], use_cache=False)
    [child] = [m for m in stack.modules if m.key == "module.m"]
    assert child.outputs["mode"].value("value") == "NONE"


def test_the_type_of_a_tf_json_variable_is_read_from_its_string(tmp_path):
    (tmp_path / "variables.tf.json").write_text(
        '{"variable": {"v": {"type": "map(object({ mode = optional(string, \\"NONE\\") }))", '
        '"default": {"a": {}}}}}')
    (tmp_path / "main.tf").write_text('locals {\n  probe = var.v\n}\n')
    stack, errors = load([tmp_path], use_cache=False)
    assert not errors
    assert stack.modules[0].locals["probe"].value == {"a": {"mode": "NONE"}}


def test_defaults_that_multiply_a_value_past_the_step_limit_leave_it_unknown_naming_the_limit(tmp_path):
    zeros, empties = ", ".join(["0"] * 300), ", ".join(["{}"] * 1000)  # 1,000 copies of a 300-element default
    value = variable_of(tmp_path, f'variable "v" {{\n  type = list(object({{ a = optional(list(number), '
                                  f'[{zeros}]) }}))\n  default = [{empties}]\n}}')
    assert isinstance(value, Unknown) and "steps: not evaluated" in value.reason
