"""`gateaudit.provenance` finds what built an unknown value anywhere in an argument's expression."""

from __future__ import annotations

from gateaudit.modules import load
from gateaudit.provenance import built_by


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
