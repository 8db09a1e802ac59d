"""Unit tests of stack/authorizer/handler.py: every branch, with a fake Secrets Manager client and a fake clock."""

import json

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError, NoRegionError

REST_METHOD_ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/GET/items"
REST_STAGE_ARN = "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/*"
HTTP_ROUTE_ARN = "arn:aws:execute-api:us-east-1:123456789012:f6g7h8i9j0/$default/GET/items"
ALL_STAGES = ["AWSCURRENT", "AWSPREVIOUS"]


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


def stages(fake):
    return [stage for _, stage in fake.calls]


# --- the two response formats -------------------------------------------------------------------------------------


def test_rest_event_with_current_key_gets_an_allow_policy_on_its_stage(invoke, secrets, rest_event, support, log_lines):
    assert invoke(support.with_key(rest_event, support.CURRENT_KEY)) == ALLOW_REST
    [line] = log_lines()
    assert line["decision"] == "allow" and line["key_stage"] == "AWSCURRENT" and line["format"] == "rest"


def test_rest_event_with_wrong_key_gets_a_deny_policy_on_its_method(invoke, secrets, rest_event, support, log_lines):
    assert invoke(support.with_key(rest_event, "not-a-valid-key-0000000000")) == DENY_REST
    [line] = log_lines()
    assert (line["decision"], line["reason"], line["level"]) == ("deny", "no match", "INFO")


def test_http_event_with_current_key_is_authorized(invoke, secrets, http_event, support, log_lines):
    assert invoke(support.with_key(http_event, support.CURRENT_KEY)) == {"isAuthorized": True}
    [line] = log_lines()
    assert line["decision"] == "allow" and line["format"] == "http"


def test_http_event_with_wrong_key_is_not_authorized(invoke, secrets, http_event, support, log_lines):
    assert invoke(support.with_key(http_event, "not-a-valid-key-0000000000")) == {"isAuthorized": False}
    assert log_lines()[0]["reason"] == "no match"


def test_http_api_payload_1_0_event_gets_a_policy(invoke, secrets, rest_event, support):
    # An HTTP API with payload format 1.0 sends version "1.0" and a methodArn, and expects an IAM policy.
    event = dict(support.with_key(rest_event, support.CURRENT_KEY), version="1.0")
    assert invoke(event) == ALLOW_REST


def test_response_format_setting_overrides_detection(invoke, secrets, rest_event, http_event, support, monkeypatch,
                                                     log_lines):
    monkeypatch.setenv("RESPONSE_FORMAT", "http")
    assert invoke(support.with_key(rest_event, support.CURRENT_KEY)) == {"isAuthorized": True}
    monkeypatch.setenv("RESPONSE_FORMAT", "REST")
    # A payload 2.0 event has no methodArn to build a policy on: deny, and say why.
    assert invoke(support.with_key(http_event, support.CURRENT_KEY)) == policy("Deny", "*", "anonymous")
    assert [line["reason"] for line in log_lines()] == ["key matched", "malformed methodArn"]


@pytest.mark.parametrize("event", [{}, [], None, "GET /items", {"type": "REQUEST", "headers": {}}])
def test_unrecognised_event_is_denied(invoke, secrets, event, log_lines):
    assert invoke(event) == policy("Deny", "*", "anonymous")
    [line] = log_lines()
    assert (line["decision"], line["reason"], line["level"]) == ("deny", "unrecognised event", "ERROR")
    assert secrets.calls == []


@pytest.mark.parametrize("method_arn", ["*", "arn:aws:lambda:us-east-1:123456789012:function:x/a/b",
                                        "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5", 42])
def test_malformed_method_arn_is_denied_even_with_a_valid_key(invoke, secrets, rest_event, support, method_arn,
                                                             log_lines):
    event = dict(support.with_key(rest_event, support.CURRENT_KEY), methodArn=method_arn)
    assert invoke(event) == policy("Deny", "*", "anonymous")
    assert log_lines()[0]["decision"] == "deny"


# --- the header ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("header", ["x-api-key", "X-API-KEY", "X-Api-Key", "x-API-kEy"])
@pytest.mark.parametrize("event_name", ["rest_event", "http_event"])
def test_header_name_is_case_insensitive(invoke, secrets, request, support, header, event_name):
    event = support.with_key(request.getfixturevalue(event_name), support.CURRENT_KEY, header=header)
    response = invoke(event)
    assert response in (ALLOW_REST, {"isAuthorized": True})


@pytest.mark.parametrize("event_name", ["rest_event", "http_event"])
def test_missing_header_is_denied_without_reading_the_secret(invoke, secrets, request, support, event_name,
                                                             log_lines):
    response = invoke(support.with_key(request.getfixturevalue(event_name), None))
    assert response in (DENY_REST, {"isAuthorized": False})
    [line] = log_lines()
    assert (line["reason"], line["cache"]) == ("missing header", None)
    assert secrets.calls == [] and secrets.clients_built == 0


def test_event_without_headers_is_a_missing_header(invoke, secrets, rest_event, log_lines):
    event = {**rest_event, "headers": None, "multiValueHeaders": None}
    assert invoke(event) == DENY_REST
    assert log_lines()[0]["reason"] == "missing header"


@pytest.mark.parametrize("event_name", ["rest_event", "http_event"])
def test_empty_header_is_denied_without_reading_the_secret(invoke, secrets, request, support, event_name, log_lines):
    response = invoke(support.with_key(request.getfixturevalue(event_name), ""))
    assert response in (DENY_REST, {"isAuthorized": False})
    assert log_lines()[0]["reason"] == "empty header"
    assert secrets.calls == []


def test_empty_header_is_denied_even_if_the_secret_were_empty(invoke, secrets, http_event, support):
    secrets.versions = {"AWSCURRENT": "", "AWSPREVIOUS": None}
    assert invoke(support.with_key(http_event, "")) == {"isAuthorized": False}


def test_two_headers_differing_in_case_are_denied(invoke, secrets, http_event, support, log_lines):
    event = support.with_headers(http_event, {"x-api-key": support.CURRENT_KEY, "X-API-KEY": support.CURRENT_KEY})
    assert invoke(event) == {"isAuthorized": False}
    assert log_lines()[0]["reason"] == "several x-api-key headers"


def test_rest_header_sent_twice_is_denied(invoke, secrets, rest_event, support, log_lines):
    # REST keeps the last value in headers and every value in multiValueHeaders.
    event = support.with_key(rest_event, support.CURRENT_KEY, header="X-API-Key")
    event["multiValueHeaders"]["X-API-Key"] = ["someone-elses-key-000000000", support.CURRENT_KEY]
    assert invoke(event) == DENY_REST
    assert log_lines()[0]["reason"] == "several x-api-key headers"


def test_header_value_that_is_not_a_string_is_denied(invoke, secrets, http_event, support, log_lines):
    assert invoke(support.with_headers(http_event, {"x-api-key": None})) == {"isAuthorized": False}
    assert log_lines()[0]["reason"] == "malformed header"


def test_unicode_lookalike_header_name_is_not_the_api_key_header(invoke, secrets, http_event, support, log_lines):
    # "\u212a" (KELVIN SIGN) lower-cases to "k"; header names are ASCII, so this is some other header.
    event = support.with_headers(http_event, {"x-api-\u212aey": support.CURRENT_KEY})
    assert invoke(event) == {"isAuthorized": False}
    assert log_lines()[0]["reason"] == "missing header"


@pytest.mark.parametrize("presented", ["current-key-4f1c9a7e2b8d603", "current-key-4f1c9a7e2b8d6035 ",
                                       "CURRENT-KEY-4F1C9A7E2B8D6035", "current-key-4f1c9a7e2b8d6035\n",
                                       "current-key-4f1c9a7e2b8d6035current-key-4f1c9a7e2b8d6035",
                                       "current-key-4f1c9a7e2b8d6035\ud800"])
def test_key_must_match_exactly(invoke, secrets, http_event, support, presented, log_lines):
    assert invoke(support.with_key(http_event, presented)) == {"isAuthorized": False}
    assert log_lines()[0]["reason"] == "no match"


# --- the keys: current, previous, rotation ------------------------------------------------------------------------


def test_previous_key_is_allowed_during_rotation(invoke, secrets, rest_event, support, log_lines):
    assert invoke(support.with_key(rest_event, support.PREVIOUS_KEY)) == ALLOW_REST
    assert log_lines()[0]["key_stage"] == "AWSPREVIOUS"
    assert stages(secrets) == ALL_STAGES


def test_without_a_previous_version_the_current_key_alone_is_valid(invoke, secrets, http_event, support, clock,
                                                                   log_lines):
    secrets.versions["AWSPREVIOUS"] = None  # a secret never rotated has no AWSPREVIOUS version
    assert invoke(support.with_key(http_event, support.CURRENT_KEY)) == {"isAuthorized": True}
    assert invoke(support.with_key(http_event, support.PREVIOUS_KEY)) == {"isAuthorized": False}
    assert [line["reason"] for line in log_lines()] == ["key matched", "no match"]
    assert stages(secrets) == ALL_STAGES  # read once: the miss came within the minimum refresh interval


def test_every_key_is_compared_even_after_a_match(authorizer, monkeypatch):
    compared = []
    real = authorizer.hmac.compare_digest
    monkeypatch.setattr(authorizer.hmac, "compare_digest", lambda a, b: compared.append(b) or real(a, b))
    keys = (("AWSCURRENT", b"key-one"), ("AWSPREVIOUS", b"key-two"))
    assert authorizer._matching_stage(b"key-one", keys) == "AWSCURRENT"
    assert compared == [b"key-one", b"key-two"]


# --- failures: the secret and Secrets Manager ---------------------------------------------------------------------


def test_missing_secret_is_a_deny_logged_with_its_error_code(invoke, secrets, rest_event, support, log_lines):
    secrets.error = support.not_found("AWSCURRENT")
    assert invoke(support.with_key(rest_event, support.CURRENT_KEY)) == DENY_REST
    [line] = log_lines()
    assert (line["level"], line["decision"], line["reason"], line["error_code"]) == (
        "ERROR", "deny", "error: ClientError", "ResourceNotFoundException")


def test_access_denied_on_the_previous_version_denies(invoke, secrets, http_event, support, monkeypatch, log_lines):
    # Only "no AWSPREVIOUS version" is normal; any other failure to read the keys fails closed.
    error = ClientError({"Error": {"Code": "AccessDeniedException", "Message": "no"}}, "GetSecretValue")
    real = secrets.get_secret_value

    def get_secret_value(*, SecretId, VersionStage):
        if VersionStage == "AWSPREVIOUS":
            raise error
        return real(SecretId=SecretId, VersionStage=VersionStage)

    monkeypatch.setattr(secrets, "get_secret_value", get_secret_value)
    assert invoke(support.with_key(http_event, support.CURRENT_KEY)) == {"isAuthorized": False}
    assert log_lines()[0]["error_code"] == "AccessDeniedException"


@pytest.mark.parametrize("error", [
    EndpointConnectionError(endpoint_url="https://secretsmanager.us-east-1.amazonaws.com/"),
    ClientError({"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}}, "GetSecretValue"),
    ClientError({"Error": {"Code": "InternalServiceError", "Message": "boom"}}, "GetSecretValue"),
    TimeoutError("read timed out"),
])
@pytest.mark.parametrize("event_name", ["rest_event", "http_event"])
def test_secrets_manager_error_denies(invoke, secrets, request, support, error, event_name, log_lines):
    secrets.error = error
    response = invoke(support.with_key(request.getfixturevalue(event_name), support.CURRENT_KEY))
    assert response in (DENY_REST, {"isAuthorized": False})
    [line] = log_lines()
    assert line["level"] == "ERROR" and line["reason"] == f"error: {type(error).__name__}"


def test_error_text_is_never_logged(invoke, secrets, http_event, support, log_lines):
    secrets.error = ClientError({"Error": {"Code": "InvalidRequestException",
                                           "Message": f"bad request near {support.CURRENT_KEY}"}}, "GetSecretValue")
    assert invoke(support.with_key(http_event, support.CURRENT_KEY)) == {"isAuthorized": False}
    [line] = log_lines()  # log_lines asserts the key is absent
    assert line["reason"] == "error: ClientError" and line["error_code"] == "InvalidRequestException"


def test_client_that_cannot_be_built_denies(invoke, authorizer, http_event, support, monkeypatch, log_lines):
    def no_region():
        raise NoRegionError()

    monkeypatch.setattr(authorizer, "new_secrets_client", no_region)
    assert invoke(support.with_key(http_event, support.CURRENT_KEY)) == {"isAuthorized": False}
    assert log_lines()[0]["reason"] == "error: NoRegionError"


@pytest.mark.parametrize("current", ["", b"binary-key-0000000000"])
def test_secret_version_without_a_usable_string_denies(invoke, secrets, http_event, support, current, log_lines):
    secrets.versions["AWSCURRENT"] = current
    assert invoke(support.with_key(http_event, support.CURRENT_KEY)) == {"isAuthorized": False}
    [line] = log_lines()
    assert line["reason"] == "error: SecretValueError"
    assert line["detail"] == "secret version AWSCURRENT has no non-empty SecretString"


def test_secret_value_is_used_as_is_not_parsed_as_json(invoke, secrets, http_event, support):
    secrets.versions = {"AWSCURRENT": '{"api_key": "inner-value-0000000000"}', "AWSPREVIOUS": None}
    assert invoke(support.with_key(http_event, "inner-value-0000000000")) == {"isAuthorized": False}
    assert invoke(support.with_key(http_event, '{"api_key": "inner-value-0000000000"}')) == {"isAuthorized": True}


# --- the cache ----------------------------------------------------------------------------------------------------


def test_keys_are_cached_within_the_ttl(invoke, secrets, http_event, support, clock, log_lines):
    event = support.with_key(http_event, support.CURRENT_KEY)
    assert invoke(event) == {"isAuthorized": True}
    clock.advance(299)
    assert invoke(event) == {"isAuthorized": True}
    assert invoke(support.with_key(http_event, support.PREVIOUS_KEY)) == {"isAuthorized": True}
    assert stages(secrets) == ALL_STAGES
    assert secrets.clients_built == 1  # one client, built lazily and reused
    assert [line["cache"] for line in log_lines()] == ["miss", "hit", "hit"]


def test_keys_are_read_again_once_the_ttl_is_over(invoke, secrets, http_event, support, clock, monkeypatch,
                                                 log_lines):
    monkeypatch.setenv("SECRET_CACHE_TTL_SECONDS", "60")
    event = support.with_key(http_event, support.CURRENT_KEY)
    invoke(event)
    clock.advance(60)
    secrets.rotate("rotated-key-7d2e4f6a8b0c1e3a")
    # The TTL is over: the keys are read again, and the key rotated two versions ago is gone.
    assert invoke(support.with_key(http_event, support.PREVIOUS_KEY)) == {"isAuthorized": False}
    assert invoke(event) == {"isAuthorized": True}  # now AWSPREVIOUS
    assert [line["cache"] for line in log_lines()] == ["miss", "miss", "hit"]
    assert stages(secrets) == ALL_STAGES * 2


def test_ttl_zero_reads_the_secret_on_every_call(invoke, secrets, http_event, support, monkeypatch, log_lines):
    monkeypatch.setenv("SECRET_CACHE_TTL_SECONDS", "0")
    event = support.with_key(http_event, support.CURRENT_KEY)
    for _ in range(3):
        assert invoke(event) == {"isAuthorized": True}
    assert stages(secrets) == ALL_STAGES * 3
    assert [line["cache"] for line in log_lines()] == ["miss"] * 3


def test_rotated_key_is_picked_up_after_a_failed_match_once_the_minimum_interval_passed(
        invoke, secrets, rest_event, support, clock, log_lines):
    assert invoke(support.with_key(rest_event, support.CURRENT_KEY)) == ALLOW_REST
    new_key = "rotated-key-7d2e4f6a8b0c1e3a"
    secrets.rotate(new_key)
    clock.advance(10)  # within the 30 s minimum interval: the cached keys answer, no read
    assert invoke(support.with_key(rest_event, new_key)) == DENY_REST
    assert stages(secrets) == ALL_STAGES
    clock.advance(20)  # 30 s since the keys were read: a miss may read them again
    assert invoke(support.with_key(rest_event, new_key)) == ALLOW_REST
    assert invoke(support.with_key(rest_event, support.CURRENT_KEY)) == ALLOW_REST  # now AWSPREVIOUS, cached
    assert stages(secrets) == ALL_STAGES * 2
    lines = log_lines()
    assert [(line["decision"], line["cache"]) for line in lines] == [
        ("allow", "miss"), ("deny", "hit"), ("allow", "refresh"), ("allow", "hit")]
    assert [line.get("key_stage") for line in lines] == ["AWSCURRENT", None, "AWSCURRENT", "AWSPREVIOUS"]


def test_wrong_keys_cost_at_most_one_read_per_minimum_interval(invoke, secrets, http_event, support, clock,
                                                               monkeypatch, log_lines):
    monkeypatch.setenv("SECRET_REFRESH_MIN_INTERVAL_SECONDS", "5")
    invoke(support.with_key(http_event, support.CURRENT_KEY))
    for second in range(12):  # a wrong key every second for 12 s
        clock.advance(1)
        assert invoke(support.with_key(http_event, f"wrong-key-{second:020d}")) == {"isAuthorized": False}
    # One read at the start, then one refresh every 5 s (at 5 s and 10 s).
    assert stages(secrets) == ALL_STAGES * 3
    assert [line["cache"] for line in log_lines()].count("refresh") == 2


def test_refresh_interval_zero_reads_again_after_every_miss(invoke, secrets, http_event, support, clock, monkeypatch):
    monkeypatch.setenv("SECRET_REFRESH_MIN_INTERVAL_SECONDS", "0")
    invoke(support.with_key(http_event, support.CURRENT_KEY))
    invoke(support.with_key(http_event, "wrong-key-00000000000000"))
    invoke(support.with_key(http_event, "wrong-key-00000000000001"))
    assert stages(secrets) == ALL_STAGES * 3


def test_failed_refresh_keeps_the_cached_keys_and_waits_out_the_interval(invoke, secrets, http_event, support, clock,
                                                                         log_lines):
    invoke(support.with_key(http_event, support.CURRENT_KEY))
    secrets.error = EndpointConnectionError(endpoint_url="https://secretsmanager.us-east-1.amazonaws.com/")
    clock.advance(30)
    assert invoke(support.with_key(http_event, "wrong-key-00000000000000")) == {"isAuthorized": False}
    clock.advance(1)
    assert invoke(support.with_key(http_event, "wrong-key-00000000000001")) == {"isAuthorized": False}
    assert invoke(support.with_key(http_event, support.CURRENT_KEY)) == {"isAuthorized": True}  # still cached
    assert stages(secrets) == [*ALL_STAGES, "AWSCURRENT"]  # one failed refresh, then none within 30 s
    assert [(line["reason"], line["cache"]) for line in log_lines()] == [
        ("key matched", "miss"), ("error: EndpointConnectionError", "refresh"), ("no match", "hit"),
        ("key matched", "hit")]


def test_cache_belongs_to_one_secret(invoke, secrets, http_event, support, monkeypatch):
    invoke(support.with_key(http_event, support.CURRENT_KEY))
    other = support.SECRET_ARN.replace("gateaudit-api-key", "other-api-key")
    monkeypatch.setenv("API_KEY_SECRET_ARN", other)
    invoke(support.with_key(http_event, support.CURRENT_KEY))
    assert [arn for arn, _ in secrets.calls] == [support.SECRET_ARN] * 2 + [other] * 2


def test_reset_forgets_keys_and_client(invoke, authorizer, secrets, http_event, support):
    invoke(support.with_key(http_event, support.CURRENT_KEY))
    authorizer.reset()
    invoke(support.with_key(http_event, support.CURRENT_KEY))
    assert secrets.clients_built == 2 and stages(secrets) == ALL_STAGES * 2


# --- settings -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "value", "detail"), [
    ("API_KEY_SECRET_ARN", None, "API_KEY_SECRET_ARN is not set"),
    ("API_KEY_SECRET_ARN", "  ", "API_KEY_SECRET_ARN is not set"),
    ("API_KEY_SECRET_ARN", "current-key-pasted-here-by-mistake",
     "API_KEY_SECRET_ARN is not a Secrets Manager secret ARN"),
    ("SECRET_CACHE_TTL_SECONDS", "five minutes",
     "SECRET_CACHE_TTL_SECONDS must be a whole number of seconds from 0 to 3600"),
    ("SECRET_CACHE_TTL_SECONDS", "300.5", "SECRET_CACHE_TTL_SECONDS must be a whole number of seconds from 0 to 3600"),
    ("SECRET_CACHE_TTL_SECONDS", "", "SECRET_CACHE_TTL_SECONDS must be a whole number of seconds from 0 to 3600"),
    ("SECRET_CACHE_TTL_SECONDS", "-1", "SECRET_CACHE_TTL_SECONDS must be a whole number of seconds from 0 to 3600"),
    ("SECRET_CACHE_TTL_SECONDS", "3601", "SECRET_CACHE_TTL_SECONDS must be a whole number of seconds from 0 to 3600"),
    ("SECRET_REFRESH_MIN_INTERVAL_SECONDS", "soon",
     "SECRET_REFRESH_MIN_INTERVAL_SECONDS must be a whole number of seconds from 0 to 3600"),
    ("RESPONSE_FORMAT", "soap", "RESPONSE_FORMAT must be auto, rest or http"),
])
@pytest.mark.parametrize("event_name", ["rest_event", "http_event"])
def test_bad_setting_is_a_logged_deny_not_a_crash(invoke, secrets, request, support, monkeypatch, name, value, detail,
                                                  event_name, log_lines):
    if value is None:
        monkeypatch.delenv(name)
    else:
        monkeypatch.setenv(name, value)
    response = invoke(support.with_key(request.getfixturevalue(event_name), support.CURRENT_KEY))
    # Still in the caller's format, so API Gateway answers 403 rather than 500.
    assert response in (DENY_REST, {"isAuthorized": False})
    [line] = log_lines()
    assert (line["level"], line["decision"], line["reason"], line["detail"]) == (
        "ERROR", "deny", "configuration error", detail)
    if value and value.strip():
        assert value not in line["detail"]
    assert secrets.calls == [] and secrets.clients_built == 0


@pytest.mark.parametrize("ttl", ["0", "3600", " 300 ", "+60"])
def test_setting_bounds_and_spacing_are_accepted(invoke, secrets, http_event, support, monkeypatch, ttl):
    monkeypatch.setenv("SECRET_CACHE_TTL_SECONDS", ttl)
    monkeypatch.setenv("RESPONSE_FORMAT", " HTTP ")
    assert invoke(support.with_key(http_event, support.CURRENT_KEY)) == {"isAuthorized": True}


def test_module_imports_and_answers_without_any_setting(handler_module, monkeypatch, http_event, support, log_lines):
    monkeypatch.delenv("API_KEY_SECRET_ARN", raising=False)
    handler_module.reset()
    assert handler_module.handler(support.with_key(http_event, support.CURRENT_KEY), None) == {"isAuthorized": False}
    assert log_lines()[0]["reason"] == "configuration error"


# --- the log line -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("event_name", "route", "route_key", "request_id"), [
    ("rest_event", REST_METHOD_ARN, None, "0d3f6a2e-8c1b-4f5e-9a7d-2b6c4e8f1a3d"),
    ("http_event", HTTP_ROUTE_ARN, "GET /items", "CbnQ3HbFoAMEb2Q="),
])
@pytest.mark.parametrize("key", ["current", "wrong", None])
def test_one_json_line_per_decision_with_its_fields(invoke, secrets, request, support, capsys, event_name, route,
                                                     route_key, request_id, key):
    presented = {"current": support.CURRENT_KEY, "wrong": "wrong-key-000000000000", None: None}[key]
    invoke(support.with_key(request.getfixturevalue(event_name), presented))
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.endswith("\n")
    line = json.loads(out)
    assert {"level", "message", "decision", "reason", "format", "request_id", "aws_request_id", "route", "route_key",
            "cache"} <= set(line)
    assert line["message"] == "authorizer decision"
    assert (line["route"], line["route_key"], line["request_id"]) == (route, route_key, request_id)
    assert line["aws_request_id"] == support.FakeContext.aws_request_id
    assert line["decision"] == ("allow" if key == "current" else "deny")


@pytest.mark.parametrize("event_name", ["rest_event", "http_event"])
def test_log_holds_no_key_header_or_event_content(invoke, secrets, request, support, capsys, event_name):
    event = request.getfixturevalue(event_name)
    for presented in (support.CURRENT_KEY, support.PREVIOUS_KEY, "wrong-key-9a8b7c6d5e4f", None, ""):
        invoke(support.with_key(event, presented))
    secrets.error = ClientError({"Error": {"Code": "X", "Message": support.CURRENT_KEY}}, "GetSecretValue")
    invoke(support.with_key(event, "wrong-key-9a8b7c6d5e4f"))
    out = capsys.readouterr().out
    # Header values long enough not to occur in a log line by chance (a short one like "443" could).
    header_values = [v for k, v in event["headers"].items() if k.lower() != "x-api-key" and len(v) >= 8]
    for secret_or_private in (support.CURRENT_KEY, support.PREVIOUS_KEY, "wrong-key-9a8b7c6d5e4f", *header_values,
                              "198.51.100.7", "opaque-cookie-value", "limit"):
        assert secret_or_private not in out
