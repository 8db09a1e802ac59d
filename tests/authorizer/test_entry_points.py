"""The fixed entry points of stack/authorizer/handler.py: rest_handler answers an IAM policy and http_handler
{"isAuthorized": ...} on every path (allow, deny, error, bad settings, an event of the other API), whatever
RESPONSE_FORMAT says."""

import contextlib
import io

import pytest
from botocore.exceptions import EndpointConnectionError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

REST_METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/items"
REST_STAGE_ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/*"


def policy(effect, resource, principal):
    return {
        "principalId": principal,
        "policyDocument": {
            "Version": "2012-10-17",
            "Statement": [{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}],
        },
    }


ALLOW_REST = policy("Allow", REST_STAGE_ARN, "api-key-client")
DENY_REST = policy("Deny", REST_METHOD_ARN, "anonymous")
DENY_ANY = policy("Deny", "*", "anonymous")  # no well-formed methodArn to name
NOT_AUTHORIZED = {"isAuthorized": False}


@pytest.fixture
def call(authorizer, support):
    """call(entry point name, event): the answer of authorizer.<name> to the event."""

    def run(entry_point, event):
        return getattr(authorizer, entry_point)(event, support.FakeContext())

    return run


def keyed(request, support, event_name, key):
    presented = {"current": support.CURRENT_KEY, "previous": support.PREVIOUS_KEY, "wrong": "wrong-key-0000000000",
                 "missing": None, "empty": ""}[key]
    return support.with_key(request.getfixturevalue(event_name), presented)


# --- the answer for each decision ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("key", "expected", "reason"), [
    ("current", ALLOW_REST, "key matched"), ("previous", ALLOW_REST, "key matched"),
    ("wrong", DENY_REST, "no match"), ("missing", DENY_REST, "missing header"), ("empty", DENY_REST, "empty header"),
])
def test_rest_handler_answers_a_rest_event_with_a_policy(call, secrets, request, support, key, expected, reason,
                                                         log_lines):
    assert call("rest_handler", keyed(request, support, "rest_event", key)) == expected
    [line] = log_lines()
    assert (line["reason"], line["format"]) == (reason, "rest")


@pytest.mark.parametrize(("key", "expected", "reason"), [
    ("current", True, "key matched"), ("previous", True, "key matched"),
    ("wrong", False, "no match"), ("missing", False, "missing header"), ("empty", False, "empty header"),
])
def test_http_handler_answers_a_payload_2_event_with_is_authorized(call, secrets, request, support, key, expected,
                                                                   reason, log_lines):
    assert call("http_handler", keyed(request, support, "http_event", key)) == {"isAuthorized": expected}
    [line] = log_lines()
    assert (line["reason"], line["format"]) == (reason, "http")


# --- an event of the other API: denied in the entry point's own shape, without reading the secret ------------------


def test_rest_handler_denies_a_payload_2_event_with_a_policy(call, secrets, http_event, support, log_lines):
    assert call("rest_handler", support.with_key(http_event, support.CURRENT_KEY)) == DENY_ANY
    [line] = log_lines()
    assert (line["level"], line["reason"], line["format"]) == ("ERROR", "malformed methodArn", "rest")
    assert secrets.calls == []


@pytest.mark.parametrize("version", [None, "1.0"])  # a REST event, an HTTP API payload 1.0 event
def test_http_handler_denies_an_event_that_is_not_payload_2(call, secrets, rest_event, support, version, log_lines):
    event = support.with_key(rest_event, support.CURRENT_KEY)
    if version is not None:
        event["version"] = version
    assert call("http_handler", event) == NOT_AUTHORIZED
    [line] = log_lines()
    assert (line["level"], line["reason"], line["format"]) == ("ERROR", "not a payload 2.0 event", "http")
    assert secrets.calls == []


@pytest.mark.parametrize(("entry_point", "expected"), [("rest_handler", DENY_ANY), ("http_handler", NOT_AUTHORIZED)])
@pytest.mark.parametrize("event", [None, [], "GET /items", {}, {"type": "REQUEST", "headers": {}}])
def test_an_unrecognised_event_is_denied_in_the_entry_points_shape(call, secrets, entry_point, expected, event,
                                                                   log_lines):
    assert call(entry_point, event) == expected
    assert log_lines()[0]["decision"] == "deny"
    assert secrets.calls == []


# --- failures -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("entry_point", "expected"), [("rest_handler", DENY_REST), ("http_handler", NOT_AUTHORIZED)])
@pytest.mark.parametrize("event_name", ["rest_event", "http_event"])
def test_secrets_manager_error_denies_in_the_entry_points_shape(call, secrets, request, support, entry_point,
                                                                expected, event_name, log_lines):
    secrets.error = EndpointConnectionError(endpoint_url="https://secretsmanager.us-east-1.amazonaws.com/")
    event = support.with_key(request.getfixturevalue(event_name), support.CURRENT_KEY)
    response = call(entry_point, event)
    if entry_point == "http_handler":
        assert response == NOT_AUTHORIZED
    else:  # the payload 2.0 event has no methodArn: denied before the secret is read
        assert response == (DENY_REST if event_name == "rest_event" else DENY_ANY)
    assert log_lines()[0]["decision"] == "deny"


@pytest.mark.parametrize(("name", "value"), [
    ("API_KEY_SECRET_ARN", None), ("API_KEY_SECRET_ARN", "current-key-pasted-here-by-mistake"),
    ("SECRET_CACHE_TTL_SECONDS", "five minutes"), ("SECRET_REFRESH_MIN_INTERVAL_SECONDS", "-1"),
])
@pytest.mark.parametrize(("entry_point", "event_name", "expected"), [
    ("rest_handler", "rest_event", DENY_REST), ("rest_handler", "http_event", DENY_ANY),
    ("http_handler", "http_event", NOT_AUTHORIZED), ("http_handler", "rest_event", NOT_AUTHORIZED),
])
def test_bad_setting_denies_in_the_entry_points_shape(call, secrets, request, support, monkeypatch, name, value,
                                                      entry_point, event_name, expected, log_lines):
    if value is None:
        monkeypatch.delenv(name)
    else:
        monkeypatch.setenv(name, value)
    assert call(entry_point, support.with_key(request.getfixturevalue(event_name), support.CURRENT_KEY)) == expected
    [line] = log_lines()
    assert (line["level"], line["decision"], line["reason"]) == ("ERROR", "deny", "configuration error")
    assert line["format"] == entry_point.removesuffix("_handler")
    assert secrets.calls == []


# --- RESPONSE_FORMAT is not theirs to read --------------------------------------------------------------------------


@pytest.mark.parametrize("setting", ["auto", "http", "rest", "soap", ""])
def test_rest_handler_ignores_response_format(call, secrets, rest_event, support, monkeypatch, setting):
    monkeypatch.setenv("RESPONSE_FORMAT", setting)
    assert call("rest_handler", support.with_key(rest_event, support.CURRENT_KEY)) == ALLOW_REST
    assert call("rest_handler", support.with_key(rest_event, "wrong-key-0000000000")) == DENY_REST


@pytest.mark.parametrize("setting", ["auto", "http", "rest", "soap", ""])
def test_http_handler_ignores_response_format(call, secrets, http_event, support, monkeypatch, setting):
    monkeypatch.setenv("RESPONSE_FORMAT", setting)
    assert call("http_handler", support.with_key(http_event, support.CURRENT_KEY)) == {"isAuthorized": True}
    assert call("http_handler", support.with_key(http_event, "wrong-key-0000000000")) == NOT_AUTHORIZED



# --- the shape on every path --------------------------------------------------------------------------------------

header_maps = st.dictionaries(st.sampled_from(["x-api-key", "X-API-Key", "accept", "host"]),
                              st.sampled_from(["current-key-4f1c9a7e2b8d6035", "wrong-key-0000000000", ""]) | st.none(),
                              max_size=3)
junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=10)
failures = st.sampled_from(["none", "secret missing", "endpoint unreachable", "empty secret", "no secret ARN",
                            "bad TTL"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(event_kind=st.sampled_from(["rest", "http", "junk"]), headers=header_maps, event_junk=junk,
       failure=failures, response_format=st.sampled_from(["auto", "rest", "http", "soap"]))
def test_every_answer_has_the_entry_points_shape(authorizer, monkeypatch, support, rest_event, http_event, event_kind,
                                                 headers, event_junk, failure, response_format):
    event = {"rest": support.with_headers(rest_event, headers), "http": support.with_headers(http_event, headers),
             "junk": event_junk}[event_kind]
    fake = support.FakeSecrets()
    if failure == "secret missing":
        fake.error = support.not_found("AWSCURRENT")
    elif failure == "endpoint unreachable":
        fake.error = EndpointConnectionError(endpoint_url="https://secretsmanager.us-east-1.amazonaws.com/")
    elif failure == "empty secret":
        fake.versions["AWSCURRENT"] = ""
    monkeypatch.setenv("API_KEY_SECRET_ARN", "" if failure == "no secret ARN" else support.SECRET_ARN)
    monkeypatch.setenv("SECRET_CACHE_TTL_SECONDS", "forever" if failure == "bad TTL" else "300")
    monkeypatch.setenv("RESPONSE_FORMAT", response_format)
    for entry_point in ("rest_handler", "http_handler"):
        authorizer.reset()
        monkeypatch.setattr(authorizer, "new_secrets_client", lambda: fake)
        with contextlib.redirect_stdout(io.StringIO()):
            response = getattr(authorizer, entry_point)(event, support.FakeContext())
        if entry_point == "http_handler":
            assert set(response) == {"isAuthorized"} and isinstance(response["isAuthorized"], bool)
        else:
            assert set(response) == {"principalId", "policyDocument"} and response["principalId"]
            [statement] = response["policyDocument"]["Statement"]
            assert statement["Action"] == "execute-api:Invoke" and statement["Effect"] in ("Allow", "Deny")
