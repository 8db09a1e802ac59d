"""The AWS type names every scan loads are exactly the types of the full provider schema."""

from gateaudit.schema import aws_schema, aws_type_names


def test_type_names_are_the_schemas_types():
    schema, names = aws_schema(), aws_type_names()
    for kind in ("resource", "data", "ephemeral"):
        assert names[kind] == set(schema[kind]), kind
    assert "aws_api_gateway_method" in names["resource"] and "aws_iam_policy_document" in names["data"]


def test_sensitive_arguments_come_from_the_same_provider_version(tmp_path):
    import json
    from importlib.resources import files

    from gateaudit.modules import load

    sensitive = json.loads(files("gateaudit").joinpath("data/aws_sensitive.json").read_text())
    assert sensitive["provider_version"] == aws_schema()["provider_version"]
    assert set(sensitive["resource"]) <= set(aws_schema()["resource"])
    (tmp_path / "main.tf").write_text(
        'resource "aws_mq_broker" "b" {\n  user {\n    username = "admin"\n    password = "x"\n  }\n}\n'
        'resource "aws_db_instance" "d" {\n  username = "admin"\n  password = "x"\n}\n'
        'data "aws_db_instance" "r" {\n  db_instance_identifier = "x"\n}\n')
    stack, errors = load([tmp_path], use_cache=False)
    assert not errors
    broker, = stack.resources("aws_mq_broker")
    db, = stack.resources("aws_db_instance")
    assert broker.blocks("user")[0].get("password").sensitive
    assert not broker.blocks("user")[0].get("username").sensitive
    assert db.get("password").sensitive and not db.get("username").sensitive
    assert not stack.data("aws_db_instance")[0].get("db_instance_identifier").sensitive
