"""Values are computed where the configuration decides them, and are explicit unknowns elsewhere."""

from pathlib import Path

import pytest

from gateaudit.model import Unknown
from gateaudit.modules import load


def stack_of(tmp_path: Path, text: str, files: dict[str, str] | None = None):
    (tmp_path / "main.tf").write_text(text)
    for name, content in (files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content)
    stack, errors = load([tmp_path])
    assert not errors, [str(e) for e in errors]
    return stack


def value_of(tmp_path: Path, expression: str, prelude: str = ""):
    stack = stack_of(tmp_path, f'{prelude}\nlocals {{\n  probe = {expression}\n}}\n')
    return stack.modules[0].locals["probe"].value


@pytest.mark.parametrize(("expression", "expected"), [
    ('"a-${1 + 2}"', "a-3"),
    ('jsonencode({ b = [1, "x"], a = true })', '{"a":true,"b":[1,"x"]}'),
    ('jsondecode("{\\"k\\": [1]}").k[0]', 1),
    ('format("%s/%d/%q", "x", 7, "y")', 'x/7/"y"'),
    ('join(",", concat(["a"], ["b", "c"]))', "a,b,c"),
    ('merge({ a = 1 }, { a = 2, b = 3 })', {"a": 2, "b": 3}),
    ('lookup({ a = 1 }, "b", "fallback")', "fallback"),
    ('upper(lower("MiXed"))', "MIXED"),
    ('replace("a-b-c", "-", "_")', "a_b_c"),
    ('replace("v1.2", "/v(\\\\d)/", "x$1")', "x1.2"),
    ('tostring(5)', "5"),
    ('try(local.nothing_here, {a = 1}.b, "third")', "third"),
    ('coalesce("", null, "first non-empty")', "first non-empty"),
    ('true ? "yes" : "no"', "yes"),
    ('[for s in ["a", "bb"] : upper(s) if length(s) > 1]', ["BB"]),
    ('{for k, v in { a = 1, b = 2 } : v => k}', {"1": "a", "2": "b"}),
    ('!false && 3 >= 2', True),
])
def test_functions_and_operators(tmp_path, expression, expected):
    assert value_of(tmp_path, expression) == expected


def test_variables_take_var_files_then_tfvars_then_defaults(tmp_path):
    text = 'variable "a" { default = "default" }\nvariable "b" { default = "default" }\n' \
           'variable "c" { default = "default" }\n'
    (tmp_path / "terraform.tfvars").write_text('a = "tfvars"\nb = "tfvars"\n')
    (tmp_path / "x.auto.tfvars").write_text('b = "auto"\n')
    (tmp_path / "main.tf").write_text(text + 'locals {\n  all = "${var.a}/${var.b}/${var.c}"\n}\n')
    extra = tmp_path.parent / "extra.tfvars"
    extra.write_text('a = "var-file"\n')
    stack, errors = load([tmp_path], [extra])
    assert not errors
    assert stack.modules[0].locals["all"].value == "var-file/auto/default"


def test_a_variable_without_value_is_unknown_and_says_which(tmp_path):
    value = value_of(tmp_path, '"key-${var.api_key}"', 'variable "api_key" {}')
    assert isinstance(value, Unknown)
    assert "var.api_key has no value" in value.reason
    assert value.refs == ("var.api_key",)
    assert value.partial == "key-${var.api_key}"


def test_unknowns_flow_through_functions_operators_and_templates(tmp_path):
    prelude = 'variable "name" {}\nlocals {\n  fn = "${var.name}-authorizer"\n}'
    encoded = value_of(tmp_path, 'jsonencode({ a = var.name, b = "known" })', prelude)
    assert isinstance(encoded, Unknown) and encoded.partial["b"] == "known"
    assert isinstance(encoded.partial["a"], Unknown)
    assert isinstance(value_of(tmp_path, 'var.name == "a"', prelude), Unknown)
    assert isinstance(value_of(tmp_path, 'max(var.name, 1)', prelude), Unknown)
    assert value_of(tmp_path, 'var.name != "" || true', prelude) is True
    nested = value_of(tmp_path, '"/aws/lambda/${local.fn}"', prelude)
    assert nested.partial == "/aws/lambda/${var.name}-authorizer"
    branch = value_of(tmp_path, 'var.name == "x" ? "literal" : var.name', prelude)
    assert isinstance(branch, Unknown)


def test_computed_attributes_are_unknown_and_remember_the_reference(tmp_path):
    stack = stack_of(tmp_path, '''
resource "aws_lambda_function" "auth" {
  function_name = "auth"
}
locals {
  arn  = aws_lambda_function.auth.arn
  name = aws_lambda_function.auth.function_name
}
''')
    locals_ = stack.modules[0].locals
    assert locals_["name"].value == "auth"
    arn = locals_["arn"].value
    assert isinstance(arn, Unknown) and arn.refs == ("aws_lambda_function.auth.arn",)
    assert "known only after" in arn.reason


def test_unknown_functions_are_named_not_guessed(tmp_path):
    value = value_of(tmp_path, 'provider::aws::arn_parse("x")')
    assert isinstance(value, Unknown) and "provider::aws::arn_parse" in value.reason
    value = value_of(tmp_path, 'sha1("x")')
    assert isinstance(value, Unknown) and "sha1()" in value.reason


def test_an_unknown_never_passes_for_true(tmp_path):
    value = value_of(tmp_path, 'var.flag', 'variable "flag" {}')
    with pytest.raises(TypeError):
        bool(value)
    assert isinstance(value_of(tmp_path, 'var.flag ? "a" : "b"', 'variable "flag" {}'), Unknown)
    assert value_of(tmp_path, 'var.flag ? "same" : "same"', 'variable "flag" {}') == "same"


def test_references_follow_locals_variables_and_modules(tmp_path):
    stack = stack_of(tmp_path, '''
resource "aws_api_gateway_rest_api" "api" {
  name = "a"
}
locals {
  api_id = aws_api_gateway_rest_api.api.id
}
module "methods" {
  source      = "./methods"
  rest_api_id = local.api_id
}
''', {"methods/main.tf": '''
variable "rest_api_id" {}
resource "aws_api_gateway_method" "get" {
  rest_api_id   = var.rest_api_id
  resource_id   = "r"
  http_method   = "GET"
  authorization = "NONE"
}
output "method" {
  value = aws_api_gateway_method.get.http_method
}
'''})
    method = next(b for b in stack.resources("aws_api_gateway_method"))
    assert method.address == "module.methods.aws_api_gateway_method.get"
    assert method.location.file == "methods/main.tf" and method.location.line == 3
    targets = method.get("rest_api_id").referenced_blocks("aws_api_gateway_rest_api")
    assert [t.address for t in targets] == ["aws_api_gateway_rest_api.api"]


def test_module_outputs_have_values(tmp_path):
    stack = stack_of(tmp_path, '''
module "names" {
  source = "./names"
  prefix = "fit"
}
locals {
  log_group = "/aws/lambda/${module.names.function_name}"
}
''', {"names/main.tf": 'variable "prefix" {}\noutput "function_name" {\n  value = "${var.prefix}-auth"\n}\n'})
    assert stack.modules[0].locals["log_group"].value == "/aws/lambda/fit-auth"


def test_count_and_for_each_give_addressed_instances(tmp_path):
    stack = stack_of(tmp_path, '''
resource "aws_api_gateway_method" "health" {
  count         = 2
  http_method   = count.index == 0 ? "GET" : "HEAD"
  rest_api_id   = "a"
  resource_id   = "r"
  authorization = "NONE"
}
resource "aws_api_gateway_method" "x" {
  for_each      = toset(["search", "list"])
  http_method   = upper(each.key)
  rest_api_id   = "a"
  resource_id   = "r"
  authorization = "NONE"
}
''')
    methods = {m.address: m.value("http_method") for m in stack.resources("aws_api_gateway_method")}
    assert methods == {
        "aws_api_gateway_method.health[0]": "GET", "aws_api_gateway_method.health[1]": "HEAD",
        'aws_api_gateway_method.x["search"]': "SEARCH", 'aws_api_gateway_method.x["list"]': "LIST"}


def test_unknown_count_keeps_the_block_visible(tmp_path):
    stack = stack_of(tmp_path, '''
variable "n" { type = number }
resource "aws_api_gateway_method" "m" {
  count         = var.n
  http_method   = "GET"
  rest_api_id   = "a"
  resource_id   = "r"
  authorization = "NONE"
}
''')
    [method] = stack.resources("aws_api_gateway_method")
    assert method.address == "aws_api_gateway_method.m"
    assert method.expansion is not None and "var.n" in method.expansion.reason
    assert method.value("authorization") == "NONE"


def test_for_each_over_a_list_with_an_element_known_after_apply_is_one_instance_with_unknown_keys(tmp_path):
    stack = stack_of(tmp_path, '''
resource "aws_apigatewayv2_api" "http" {
  name          = "a"
  protocol_type = "HTTP"
}
resource "aws_apigatewayv2_route" "r" {
  for_each  = ["GET /a", aws_apigatewayv2_api.http.id]
  api_id    = aws_apigatewayv2_api.http.id
  route_key = each.value
}
''')
    [route] = stack.resources("aws_apigatewayv2_route")  # Terraform cannot plan it either: keys must be known
    assert route.address == "aws_apigatewayv2_route.r"
    assert route.expansion is not None
    assert route.expansion.reason.startswith("for_each keys are unknown (aws_apigatewayv2_api.http.id is known")
    assert isinstance(route.value("route_key"), Unknown)


def test_dynamic_blocks_are_expanded(tmp_path):
    stack = stack_of(tmp_path, '''
resource "aws_api_gateway_method_settings" "s" {
  rest_api_id = "a"
  stage_name  = "prod"
  method_path = "*/*"
  dynamic "settings" {
    for_each = { level = "INFO" }
    content {
      logging_level = settings.value
    }
  }
}
''')
    [settings] = stack.resources("aws_api_gateway_method_settings")
    [nested] = settings.blocks("settings")
    assert nested.value("logging_level") == "INFO"
    assert nested.get("logging_level").path == "settings.logging_level"


_DYNAMIC_OVER = '''
variable "names" {{
  type = list(string)
}}
resource "aws_cloudwatch_log_group" "a" {{
  name = "a"
}}
resource "aws_cloudwatch_log_group" "b" {{
  name = "b"
}}
resource "aws_api_gateway_method_settings" "s" {{
  rest_api_id = "a"
  stage_name  = "prod"
  method_path = "*/*"
  dynamic "settings" {{
    for_each = {collection}
    content {{
      logging_level = settings.value
    }}
  }}
}}
'''


@pytest.mark.parametrize("collection", [
    "[aws_cloudwatch_log_group.a.arn, aws_cloudwatch_log_group.b.arn]",  # a tuple
    "tolist([aws_cloudwatch_log_group.a.arn, aws_cloudwatch_log_group.b.arn])",  # a list
    '{ first = aws_cloudwatch_log_group.a.arn, second = aws_cloudwatch_log_group.b.arn }',  # an object
])
def test_a_dynamic_block_over_a_known_number_of_unknown_elements_gives_that_many_blocks(tmp_path, collection):
    stack = stack_of(tmp_path, _DYNAMIC_OVER.format(collection=collection))
    [settings] = stack.resources("aws_api_gateway_method_settings")
    first, second = settings.blocks("settings")
    assert first.expansion is None and second.expansion is None
    assert first.value("logging_level").refs == ("aws_cloudwatch_log_group.a.arn",)
    assert second.value("logging_level").refs == ("aws_cloudwatch_log_group.b.arn",)
    # through the iterator, the argument refers to what the collection holds
    assert {r.block.address for r in first.get("logging_level").references} == {
        "aws_cloudwatch_log_group.a", "aws_cloudwatch_log_group.b"}


@pytest.mark.parametrize(("collection", "why"), [
    ("var.names", "var.names has no value"),
    ("var.names == null ? [] : [aws_cloudwatch_log_group.a.arn]", "cannot be decided"),
    ("toset([aws_cloudwatch_log_group.a.arn, aws_cloudwatch_log_group.b.arn])", "known only after"),
])
def test_a_dynamic_block_over_a_collection_of_unknown_length_is_one_unknown_block(tmp_path, collection, why):
    stack = stack_of(tmp_path, _DYNAMIC_OVER.format(collection=collection))
    [settings] = stack.resources("aws_api_gateway_method_settings")
    [nested] = settings.blocks("settings")  # stands for every block it may generate, none or many
    assert nested.expansion is not None and why in nested.expansion.reason
    assert isinstance(nested.value("logging_level"), Unknown)


def test_policy_document_data_source_renders_json(tmp_path):
    stack = stack_of(tmp_path, '''
data "aws_iam_policy_document" "p" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = ["arn:aws:secretsmanager:us-east-1:123456789012:secret:key"]
  }
}
locals {
  doc = jsondecode(data.aws_iam_policy_document.p.json)
}
''')
    statement = stack.modules[0].locals["doc"].value["Statement"][0]
    assert statement == {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
                         "Resource": ["arn:aws:secretsmanager:us-east-1:123456789012:secret:key"]}


def test_list_functions_keep_unknown_elements_and_text_functions_keep_their_text(tmp_path):
    prelude = 'resource "aws_secretsmanager_secret" "s" {\n}\nresource "aws_api_gateway_rest_api" "api" {\n' \
              '  name = "a"\n}'
    listed = value_of(tmp_path, 'concat([aws_secretsmanager_secret.s.arn], ["*"])', prelude)
    assert isinstance(listed, list) and isinstance(listed[0], Unknown) and listed[1] == "*"
    glued = value_of(tmp_path, 'format("%s*", aws_api_gateway_rest_api.api.execution_arn)', prelude)
    assert glued.partial == "${aws_api_gateway_rest_api.api.execution_arn}*"
    joined = value_of(tmp_path, 'join("/", [aws_api_gateway_rest_api.api.execution_arn, "*"])', prelude)
    assert joined.partial == "${aws_api_gateway_rest_api.api.execution_arn}/*"
    assert value_of(tmp_path, 'one(["only"])', prelude) == "only"
    assert value_of(tmp_path, 'sensitive("s3cret-value")', prelude) == "s3cret-value"


def test_for_each_over_a_resource_and_each_value_references(tmp_path):
    stack = stack_of(tmp_path, '''
resource "aws_lambda_function" "fn" {
  for_each      = toset(["a", "b"])
  function_name = "fn-${each.key}"
}
resource "aws_cloudwatch_log_group" "fn" {
  for_each          = aws_lambda_function.fn
  name              = "/aws/lambda/${each.value.function_name}"
  retention_in_days = 30
}
''')
    groups = {b.address: b for b in stack.resources("aws_cloudwatch_log_group")}
    assert {a: g.value("name") for a, g in groups.items()} == {
        'aws_cloudwatch_log_group.fn["a"]': "/aws/lambda/fn-a", 'aws_cloudwatch_log_group.fn["b"]': "/aws/lambda/fn-b"}
    referenced = groups['aws_cloudwatch_log_group.fn["a"]'].get("name").referenced_blocks("aws_lambda_function")
    assert {b.address for b in referenced} == {'aws_lambda_function.fn["a"]', 'aws_lambda_function.fn["b"]'}


# ------------------------------------------------------ hostile sizes: bounded, or a clean unknown that says why


@pytest.mark.parametrize(("expression", "expected"), [
    ('replace("abxd", "/x*/", "-")', "-a-b-d-"),  # Go skips an empty match right after a match; Python's re does not
    ('replace("a.b", "/(?P<dot>\\\\.)/", "[$dot][$${dot}][$$]")', "a[.][.][$]b"),
    ('replace("ab", "/(a)/", "$1x|$${1}x")', "|axb"),  # `$1x` names a group "1x", as in Go
    ('replace("ab", "/a/", "\\\\n")', "\\nb"),  # a backslash is literal text in Go's replacement
    ('replace("héllo", "/[é]/", "e")', "hello"),
    ('format("%5d|%-4s|%.2f", 42, "x", 3.14159)', "   42|x   |3.14"),
])
def test_replace_is_terraforms_re2_and_go_expansion(tmp_path, expression, expected):
    assert value_of(tmp_path, expression) == expected


@pytest.mark.parametrize(("expression", "reason"), [
    ('replace("abc", "/(/", "")', "replace(): invalid regular expression: missing ): ("),
    ('replace("aa", "/(a)\\\\1/", "")', "replace(): invalid regular expression: invalid escape sequence: \\1"),
    ('format("%999999999d", 1)', "format(): a width or precision of 999999999 is over the limit of 1000000"),
    ('format("%.999999999f", 1.5)', "format(): a width or precision of 999999999 is over the limit of 1000000"),
])
def test_a_hostile_function_argument_is_an_unknown_naming_it(tmp_path, expression, reason):
    value = value_of(tmp_path, expression)
    assert isinstance(value, Unknown) and reason in value.reason, value


def test_a_5000_digit_number_is_unknown_not_a_crash(tmp_path):
    value = value_of(tmp_path, "1" + "0" * 5000)
    assert isinstance(value, Unknown) and value.reason == "a number of 5001 digits is not evaluated by gateaudit"
    value = value_of(tmp_path, 'tonumber("' + "9" * 5000 + '")')
    assert isinstance(value, Unknown) and "a number of more than 4300 digits" in value.reason
    assert value_of(tmp_path, "9" * 4300 + " > 1") is True


def test_the_scans_instance_budget_covers_count_for_each_and_module_calls(tmp_path, monkeypatch):
    from gateaudit import limits

    monkeypatch.setattr(limits, "MAX_SCAN_INSTANCES", 6)
    (tmp_path / ".git").mkdir()  # the repository root: ../m lies inside it
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "main.tf").write_text('resource "aws_s3_bucket" "d" {}\n')
    root = tmp_path / "root"
    root.mkdir()
    stack = stack_of(root, '''
resource "aws_s3_bucket" "a" {
  count = 3
}
resource "aws_s3_bucket" "b" {
  count = 3
}
resource "aws_s3_bucket" "c" {
  count  = 2
  bucket = "c-${count.index}"
}
module "m" {
  source = "../m"
}
''')
    buckets = {b.address: b for b in stack.resources("aws_s3_bucket")}
    assert sorted(buckets) == ["aws_s3_bucket.a[0]", "aws_s3_bucket.a[1]", "aws_s3_bucket.a[2]",
                               "aws_s3_bucket.b[0]", "aws_s3_bucket.b[1]", "aws_s3_bucket.b[2]", "aws_s3_bucket.c"]
    over = "over the scan's budget of 6 resource and module instances"
    assert over in buckets["aws_s3_bucket.c"].expansion.reason
    bucket = buckets["aws_s3_bucket.c"].value("bucket")
    assert isinstance(bucket, Unknown) and over in bucket.reason
    [skipped] = stack.not_scanned
    assert (skipped.address, skipped.source, skipped.location.line) == ("module.m", "../m", 12)
    assert skipped.reason == "not loaded: the scan's budget of 6 resource and module instances is spent"


def test_the_scans_budgets_grow_with_the_files_it_reads_so_a_monorepo_is_judged_whole(tmp_path, monkeypatch):
    """Five roots of 4 instances each: 20, over a budget of 6 for every 100 bytes read, met by 100 bytes a root."""
    from gateaudit import limits

    monkeypatch.setattr(limits, "MAX_SCAN_INSTANCES", 6)
    monkeypatch.setattr(limits, "SCAN_BUDGET_BYTES", 100)
    (tmp_path / ".git").mkdir()
    (tmp_path / "modules" / "m").mkdir(parents=True)
    (tmp_path / "modules" / "m" / "main.tf").write_text('resource "aws_s3_bucket" "d" {}\n')
    for team in range(5):
        (tmp_path / "teams" / f"t{team}").mkdir(parents=True)
        (tmp_path / "teams" / f"t{team}" / "main.tf").write_text(
            'resource "aws_s3_bucket" "a" {\n  count = 2\n}\nmodule "m" {\n  source = "../../modules/m"\n}\n')
    stack, errors = load([tmp_path / "teams"])
    assert not errors and not stack.not_scanned, stack.not_scanned
    assert len(stack.resources("aws_s3_bucket")) == 15  # a[0], a[1] and module.m's d, in each root
    assert stack.budget.max_instances == 6 * sum(len(f.read_bytes()) for f in tmp_path.rglob("*.tf")) // 100


def test_padding_a_repository_buys_budget_only_in_proportion_to_the_bytes_read(tmp_path, monkeypatch):
    """A module calling itself twice ten levels deep (2,047 instances) beside 5,000 bytes of comments: the
    budget grows with the comments' bytes, as with any other, and no further."""
    from gateaudit import limits

    monkeypatch.setattr(limits, "MAX_SCAN_INSTANCES", 6)
    monkeypatch.setattr(limits, "SCAN_BUDGET_BYTES", 1000)
    (tmp_path / ".git").mkdir()
    for level in range(11):
        folder = tmp_path / f"m{level:02}"
        folder.mkdir()
        calls = "".join(f'module "{name}" {{\n  source = "../m{level + 1:02}"\n}}\n' for name in ("a", "b"))
        (folder / "main.tf").write_text(calls if level < 10 else 'resource "aws_s3_bucket" "d" {}\n')
    (tmp_path / "m00" / "padding.tf").write_text("# padding\n" * 500)
    stack, _ = load([tmp_path / "m00"])
    read = sum(len(f.read_bytes()) for f in tmp_path.rglob("*.tf"))
    budget = 6 * read // 1000
    assert 30 <= budget < 60
    assert stack.not_scanned
    assert {m.reason for m in stack.not_scanned} == {
        f"not loaded: the scan's budget of {budget} resource and module instances is spent"}
    assert len(stack.modules) <= budget + 1


def test_the_scans_step_budget_leaves_literals_judged(tmp_path, monkeypatch):
    from gateaudit import limits

    monkeypatch.setattr(limits, "MAX_SCAN_EVALUATION_STEPS", 50)
    stack = stack_of(tmp_path, '''
locals {
  words = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"]
}
resource "aws_api_gateway_method" "m" {
  count         = 3
  rest_api_id   = "a"
  resource_id   = "b"
  http_method   = join("", [for w in local.words : upper(w)])
  authorization = "NONE"
}
''')
    methods = stack.resources("aws_api_gateway_method")
    verbs = [m.value("http_method") for m in methods]
    assert verbs[0] == "ABCDEFGHIJ"
    assert all(isinstance(v, Unknown) and "over the scan's evaluation budget of 50 steps" in v.reason
               for v in verbs[1:])
    assert [m.value("authorization") for m in methods] == ["NONE"] * 3


def test_a_dynamic_block_over_the_expansion_limit_is_one_unknown_block(tmp_path):
    items = ", ".join(str(i) for i in range(1001))
    stack = stack_of(tmp_path, f'''
resource "aws_api_gateway_method_settings" "s" {{
  rest_api_id = "a"
  stage_name  = "prod"
  method_path = "*/*"
  dynamic "settings" {{
    for_each = [{items}]
    content {{
      logging_level   = "INFO"
      throttling_rate_limit = settings.value
    }}
  }}
}}
''')
    [settings] = stack.resources("aws_api_gateway_method_settings")
    [nested] = settings.blocks("settings")
    reason = 'dynamic "settings" for_each has 1001 elements, over the expansion limit of 1000'
    assert nested.expansion is not None and reason in nested.expansion.reason
    assert nested.value("logging_level") == "INFO"
    rate = nested.value("throttling_rate_limit")
    assert isinstance(rate, Unknown) and reason in rate.reason


def test_a_long_chain_of_operators_converts_and_evaluates_without_recursion(tmp_path):
    chain = " + ".join(["2"] * 5000) + " - 1"
    assert value_of(tmp_path, chain) == 9999
    stack = stack_of(tmp_path, f'variable "v" {{}}\nlocals {{\n  probe = {chain} + var.v\n}}\n')
    value = stack.modules[0].locals["probe"].value
    assert isinstance(value, Unknown) and value.refs == ("var.v",)
    assert [r.block.address for r in stack.modules[0].locals["probe"].references] == ["var.v"]


@pytest.mark.parametrize(("expression", "expected"), [
    ('yamldecode("a: 1\\nb: [x, true]\\n")', {"a": 1, "b": ["x", True]}),
    ('yamldecode("200: ok\\nday: 2026-01-31\\n")', {"200": "ok", "day": "2026-01-31"}),  # keys and dates as strings
    ('yamldecode("a: &x [1, 2]\\nb: *x\\n").b[1]', 2),
])
def test_yamldecode_gives_terraforms_values(tmp_path, expression, expected):
    assert value_of(tmp_path, expression) == expected


BOMB = ('yamldecode("a: &a [x,x,x,x,x,x,x,x,x,x]\\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\\n'
        'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\\n'
        'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\\nf: [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\\n")')


@pytest.mark.parametrize(("expression", "reason", "terraform_fails"), [
    ('yamldecode("a: [1")', "yamldecode(): not YAML (line 1", True),
    ('yamldecode("a: !!python/object/apply:os.system [id]")', "yamldecode(): not YAML", True),
    (BOMB, "holds more than 1000000 elements and characters (aliases expanded)", False),
])
def test_yamldecode_of_broken_or_exploding_yaml_is_an_unknown_naming_why(tmp_path, expression, reason,
                                                                         terraform_fails):
    value = value_of(tmp_path, expression)
    assert isinstance(value, Unknown) and reason in value.reason, value
    tried = value_of(tmp_path, f'try({expression}, "fallback")')  # try() skips what Terraform rejects, only
    assert tried == "fallback" if terraform_fails else isinstance(tried, Unknown)
