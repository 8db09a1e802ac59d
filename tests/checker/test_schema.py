"""The AWS type names every scan loads are exactly the types of the full provider schema."""

from gateaudit.schema import aws_schema, aws_type_names


def test_type_names_are_the_schemas_types():
    schema, names = aws_schema(), aws_type_names()
    for kind in ("resource", "data", "ephemeral"):
        assert names[kind] == set(schema[kind]), kind
    assert "aws_api_gateway_method" in names["resource"] and "aws_iam_policy_document" in names["data"]
