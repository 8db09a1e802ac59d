"""Reading a Python authorizer's code (issue 17): the facts the code rules judge, found through helpers,
aliases and modules of the same package, at the lines they are written on."""

from __future__ import annotations

import textwrap
from pathlib import Path

from gateaudit.model import CodeBehaviour, FunctionCode, SourceFile, Unknown
from gateaudit.python_code import analyse

REFERENCE = Path(__file__).resolve().parents[2] / "stack" / "authorizer" / "handler.py"


def behaviour(files: dict[str, str], handler: str = "handler.handler", header: str = "x-api-key") -> CodeBehaviour:
    code = FunctionCode("python", handler, tuple(SourceFile(name, name, textwrap.dedent(text))
                                                 for name, text in files.items()), "the test's files")
    found = analyse(code, header)
    assert isinstance(found, CodeBehaviour), found
    return found


def lines(facts) -> list[int]:
    return [fact.location.line for fact in facts]


SEED_LIKE = """\
    import json
    import logging
    import os

    import boto3

    logger = logging.getLogger()
    secrets = boto3.client("secretsmanager")


    def get_api_key():
        try:
            response = secrets.get_secret_value(SecretId=os.environ["SECRET_NAME"])
            return json.loads(response["SecretString"])["api_key"]
        except Exception as error:
            logger.error("could not read the key: %s", error)
            return None


    def handler(event, context):
        logger.info("Received event: %s", json.dumps(event))
        api_key = event["headers"].get("x-api-key")
        expected = get_api_key()
        try:
            if api_key == expected:
                return {"isAuthorized": True}
            return {"isAuthorized": False}
        except Exception:
            return {"isAuthorized": True}
    """


def test_a_blog_authorizer_shows_every_defect_at_its_line():
    found = behaviour({"handler.py": SEED_LIKE})
    assert [(a.location.line, sorted(a.keys), a.effect) for a in found.answers] == [
        (26, ["isAuthorized"], "allow"), (27, ["isAuthorized"], "deny"), (29, ["isAuthorized"], "allow")]
    [comparison] = found.comparisons
    assert (comparison.location.line, comparison.how, comparison.constant_time, comparison.against,
            comparison.both_may_be_none) == (25, "==", False, "the secret's value", True)
    assert [(f.location.line, f.what, f.sink) for f in found.logged] == [(21, "the event", "logger.info")]
    assert [(p.location.line, p.catches, p.outcome) for p in found.error_paths] == [(28, "Exception", "allow")]
    assert [(r.location.line, r.header, r.case_insensitive) for r in found.header_reads] == [(22, "x-api-key", False)]


def test_the_reference_authorizer_compares_in_constant_time_and_logs_no_secret():
    found = behaviour({"handler.py": REFERENCE.read_text()})
    assert [(c.how, c.constant_time, c.against) for c in found.comparisons] == [
        ("hmac.compare_digest", True, "the secret's value")]
    assert found.logged == ()
    assert {p.outcome for p in found.error_paths if p.catches in ("Exception", "SettingsError")} == {"deny"}
    assert [r.case_insensitive for r in found.header_reads] == [True]
    # handler.handler decides the answer's shape from RESPONSE_FORMAT or the event: both shapes are reachable
    assert {frozenset(a.keys) for a in found.answers} == {frozenset({"principalId", "policyDocument"}),
                                                          frozenset({"isAuthorized"})}


def test_code_that_is_not_python_is_unknown_at_its_line():
    code = FunctionCode("python", "handler.handler", (SourceFile("handler.py", "src/handler.py", "def handler(:\n"),),
                        "src")
    found = analyse(code, "x-api-key")
    assert isinstance(found, Unknown) and found.reason.startswith("src/handler.py:1 is not valid Python")


def test_a_missing_handler_function_is_unknown():
    found = analyse(FunctionCode("python", "handler.main", (SourceFile("handler.py", "handler.py", "x = 1\n"),), "src"),
                    "x-api-key")
    assert isinstance(found, Unknown) and "defines no function main" in found.reason
