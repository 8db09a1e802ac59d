"""`gateaudit.provenance` finds what built an unknown value anywhere in an argument's expression."""

from __future__ import annotations

from gateaudit.model import Attribute, Location, Unknown
from gateaudit.modules import load
from gateaudit.provenance import (
    built_by,
    ignored_changes,
    instance_entry,
    is_reference,
    map_entries,
    origin,
    plain,
    written_by,
)


def test_a_function_at_the_start_of_a_long_operator_chain_is_found(tmp_path):
    """A chain of 40 terms is one level of the expression, not 40: the first term is as near as the last."""
    chain = " || ".join(["false"] * 40)
    (tmp_path / "main.tf").write_text(f'''resource "aws_lambda_function" "f" {{
  function_name = "f"
}}
resource "aws_lambda_permission" "p" {{
  function_name = "f"
  source_arn    = lower(aws_lambda_function.f.arn) == "x" || {chain}
}}
''')
    stack, errors = load([tmp_path], use_cache=False)
    assert not errors
    [permission] = stack.resources("aws_lambda_permission")
    attribute = permission.get("source_arn")
    assert built_by(attribute, attribute.value) == "lower()"


def test_written_by_names_each_literal_with_its_file_and_line(tmp_path):
    """A value built from a local, a variable set in tfvars and a module's output: each literal that wrote it,
    where it is written, in whichever file and module."""
    (tmp_path / "main.tf").write_text('''module "names" {
  source = "./names"
  stage  = "prod"
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  environment {
    variables = {
      GREETING = "${local.greeting}, ${var.who}"
      PREFIX   = module.names.prefix
    }
  }
}
''')
    (tmp_path / "locals.tf").write_text('locals {\n  greeting = "hello"\n}\n\n'
                                        'variable "who" {\n  default = "nobody"\n}\n')
    (tmp_path / "terraform.tfvars").write_text('who = "world"\n')
    (tmp_path / "names").mkdir()
    (tmp_path / "names" / "main.tf").write_text('variable "stage" {}\n\noutput "prefix" {\n'
                                                '  value = "api-${var.stage}"\n}\n')
    stack, errors = load([tmp_path], use_cache=False)
    assert not errors
    [function] = stack.resources("aws_lambda_function")
    [variables] = function.attributes_at("environment.variables")
    written = {(str(w.location), w.value) for w in written_by(variables)}
    assert written >= {("locals.tf:2", "hello"), ("terraform.tfvars:1", "world"), ("locals.tf:6", "nobody"),
                       ("main.tf:3", "prod")}
    assert ("names/main.tf:4", "api-prod") in written


def test_a_value_given_outright_was_written_by_nothing_provenance_can_look_into(tmp_path):
    (tmp_path / "main.tf").write_text('resource "aws_lambda_function" "f" {\n  function_name = "f"\n}\n')
    stack, _ = load([tmp_path], use_cache=False)
    [function] = stack.resources("aws_lambda_function")
    given = Attribute("function_name", function, "function_name", Location("plan.json", 1, "plan"), "f")
    assert written_by(given) == [] and origin(given, lambda name: False).source == "fixed"
    assert plain(given) and map_entries(given) == {} and not is_reference(given)


def test_written_by_follows_an_output_of_one_instance_of_a_looped_module(tmp_path):
    """`module.names["prod"].prefix`: the literal the call's each.value passes in, through that instance's output."""
    (tmp_path / "main.tf").write_text('''module "names" {
  source   = "./names"
  for_each = { prod = "live", dev = "test" }
  stage    = each.value
}

locals {
  prefix = module.names["prod"].prefix
}
''')
    (tmp_path / "names").mkdir()
    (tmp_path / "names" / "main.tf").write_text('variable "stage" {}\n\noutput "prefix" {\n'
                                                '  value = "api-${var.stage}"\n}\n')
    stack, errors = load([tmp_path], use_cache=False)
    assert not errors
    local = stack.modules[0].locals["prefix"]
    assert local.value == "api-live"
    assert ("names/main.tf:4", "api-live") in {(str(w.location), w.value) for w in written_by(local)}


def test_instance_entry_is_where_the_for_each_entry_an_argument_reads_is_written(tmp_path):
    """Through a local and merge(): the entry's own line; an argument that does not read `each` has none."""
    (tmp_path / "main.tf").write_text('''locals {
  routes = merge({
    a = { route_key = "GET /a" }
  }, {
    b = {
      route_key = "GET /b"
    }
  })
}

resource "aws_apigatewayv2_route" "r" {
  for_each           = local.routes
  api_id             = "api"
  route_key          = each.value.route_key
  authorization_type = "NONE"
}
''')
    stack, errors = load([tmp_path], use_cache=False)
    assert not errors
    routes = {route.instance_key: route for route in stack.resources("aws_apigatewayv2_route")}
    assert instance_entry(routes["a"].get("route_key")).location == Location("main.tf", 3)
    assert instance_entry(routes["b"].get("route_key")).location == Location("main.tf", 5)
    assert instance_entry(routes["a"].get("authorization_type")) is None


def test_a_value_read_by_file_is_fixed_and_placed_in_the_committed_file(tmp_path):
    """file() of a file of the repository: written with the code as much as a literal is, and in that file."""
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "token.txt").write_text("tok_live_8f2a61c0d9e4b7\n")
    (tmp_path / "main.tf").write_text('''locals {
  token = file("${path.module}/secrets/token.txt")
}

resource "aws_lambda_function" "f" {
  function_name = "f"
  environment {
    variables = {
      TOKEN = local.token
    }
  }
}
''')
    stack, errors = load([tmp_path], use_cache=False)
    assert not errors
    [function] = stack.resources("aws_lambda_function")
    found = origin(function.blocks("environment")[0].get("variables"), lambda name: name == "TOKEN")
    assert (found.source, found.value) == ("fixed", {"TOKEN": "tok_live_8f2a61c0d9e4b7\n"})
    assert found.location == Location("secrets/token.txt", 1, "file()")
    assert found.detail == "in secrets/token.txt, read by file()"


def test_ignored_changes_reads_the_names_as_written(tmp_path):
    """`[value, tags.team]`, `all` and Terraform 0.11's strings; a name built by an expression is unknown."""
    (tmp_path / "main.tf").write_text('''resource "aws_ssm_parameter" "a" {
  lifecycle {
    ignore_changes = [value, tags.team]
  }
}

resource "aws_ssm_parameter" "b" {
  lifecycle {
    ignore_changes = all
  }
}

resource "aws_ssm_parameter" "c" {
  lifecycle {
    ignore_changes = ["value"]
  }
}

resource "aws_ssm_parameter" "d" {
  lifecycle {
    ignore_changes = [var.names[0]]
  }
}

resource "aws_ssm_parameter" "e" {
}
''')
    stack, errors = load([tmp_path], use_cache=False)
    assert not errors
    found = {block.name: ignored_changes(block) for block in stack.resources("aws_ssm_parameter")}
    assert (found["a"], found["b"], found["c"], found["e"]) == (
        {"value", "tags.team"}, {"all"}, {"value"}, frozenset())
    assert isinstance(found["d"], Unknown)
