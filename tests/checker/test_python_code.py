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


POLICY = """\
    def policy(effect, resource):
        return {"principalId": "client", "policyDocument": {"Version": "2012-10-17", "Statement": [
            {"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}]}}
    """


def test_an_alias_of_compare_digest_is_constant_time():
    found = behaviour({"handler.py": """\
        import os
        from hmac import compare_digest as eq
        import secrets as s

        def handler(event, context):
            key = event["headers"]["x-api-key"].encode()
            return {"isAuthorized": eq(key, os.environ["K"].encode()) or s.compare_digest(key, b"x")}
        """})
    assert [(c.how, c.constant_time, c.env, c.literal) for c in found.comparisons] == [
        ("hmac.compare_digest", True, "K", None), ("secrets.compare_digest", True, None, "x")]


def test_a_helper_in_a_package_module_builds_the_answer_with_the_effect_passed_in():
    found = behaviour({"auth/__init__.py": "", "auth/policies.py": POLICY, "handler.py": """\
        from auth import policies

        def handler(event, context):
            if event.get("authorizationToken") == "":
                return policies.policy("Deny", event["methodArn"])
            return policies.policy("Allow", event["methodArn"])
        """})
    assert [(a.location.file, a.location.line, a.effect) for a in found.answers] == [
        ("auth/policies.py", 2, "allow"), ("auth/policies.py", 2, "deny")]
    assert found.reads_token


def test_a_logger_made_in_another_module_and_powertools_are_sinks():
    found = behaviour({"log.py": "import logging\nlog = logging.getLogger('auth')\n", "handler.py": """\
        from aws_lambda_powertools import Logger
        from log import log

        logger = Logger(service="auth")

        def handler(event, context):
            headers = event["headers"]
            log.debug("headers %s", headers)
            logger.info({"key": headers.get("x-api-key")})
            logger.info("request %s", event["requestContext"]["requestId"])
            return {"isAuthorized": False}
        """})
    assert [(f.location.line, f.what, f.sink) for f in found.logged] == [
        (8, "the request's headers", "logger.debug"), (9, "the presented key", "logger.info")]


def test_try_finally_and_reraise_deny_and_a_swallowed_error_answers_none():
    found = behaviour({"handler.py": POLICY + """\

    def handler(event, context):
        try:
            if event["headers"]["x-api-key"] == "":
                return policy("Deny", event["methodArn"])
        except KeyError:
            raise
        except Exception:
            pass
        finally:
            print("done")
        return None
    """})
    assert [(p.catches, p.outcome) for p in found.error_paths] == [("KeyError", "raise"), ("Exception", "deny")]
    assert any(a.none for a in found.answers)


def test_the_configured_header_is_the_key_and_other_headers_are_not():
    found = behaviour({"handler.py": """\
        def handler(event, context):
            print(event["headers"].get("user-agent"))
            print(event["headers"].get("X-Fitness-Key"))
            return {"isAuthorized": False}
        """}, header="x-fitness-key")
    assert [(f.location.line, f.what) for f in found.logged] == [(3, "the presented key")]
    assert [(r.header, r.case_insensitive) for r in found.header_reads] == [("X-Fitness-Key", False)]


def test_a_key_passed_to_another_package_is_an_escape():
    found = behaviour({"handler.py": """\
        import keycheck

        def handler(event, context):
            return {"isAuthorized": keycheck.valid(event["headers"]["x-api-key"])}
        """})
    assert found.comparisons == ()
    assert [(e.location.line, e.what, e.into) for e in found.escapes] == [(4, "the presented key", "keycheck.valid()")]


# Hostile code: what the analysis cannot finish is an Unknown, never a crash or a partial pass.

def test_exponential_branching_stops_at_the_step_limit():
    loops = "".join(f"{'    ' * (i + 1)}for x{i} in event['items']:\n" for i in range(30))
    code = FunctionCode("python", "handler.handler", (SourceFile(
        "handler.py", "handler.py", f"def handler(event, context):\n{loops}{'    ' * 31}print(event)\n"),), "src")
    found = analyse(code, "x-api-key")
    assert isinstance(found, Unknown) and "steps" in found.reason


def test_deep_nesting_and_null_bytes_are_unknown():
    deep = "def handler(event, context):\n    return " + "-" * 200_000 + "1\n"
    for text in (deep, "def handler(event, context):\n    return 1\x00\n"):
        found = analyse(FunctionCode("python", "handler.handler", (SourceFile("handler.py", "handler.py", text),), "s"),
                        "x-api-key")
        assert isinstance(found, Unknown), found


def test_recursion_ends():
    found = behaviour({"handler.py": """\
        def ping(event):
            return pong(event)

        def pong(event):
            return ping(event)

        def handler(event, context):
            return ping(event)
        """})
    assert [a.keys for a in found.answers] == [None]


def test_a_flag_set_in_an_except_clause_is_followed_apart_from_the_normal_path():
    found = behaviour({"handler.py": POLICY + """\

    import hmac

    def handler(event, context):
        try:
            allowed = hmac.compare_digest(event["headers"]["x-api-key"], event["stageVariables"]["k"])
        except Exception:
            allowed = False
        return policy("Allow" if allowed else "Deny", event["methodArn"])
    """})
    assert [(p.catches, p.outcome) for p in found.error_paths] == [("Exception", "deny")]


def test_an_answer_through_json_dumps_and_loads_keeps_its_shape():
    found = behaviour({"handler.py": POLICY + """\

    import json

    def handler(event, context):
        return json.loads(json.dumps(policy("Deny", event["methodArn"])))
    """})
    assert [(sorted(a.keys), a.effect) for a in found.answers] == [(["policyDocument", "principalId"], "deny")]
