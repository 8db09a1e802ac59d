"""Properties of the handler over generated header maps: only a valid key is allowed, and no log line ever holds a
key or a header value.

The handler's module state is reset inside each example (fixtures run once per test, not per example), so examples
share no cached keys.
"""

import contextlib
import io
import json
import string

import pytest
from botocore.exceptions import ClientError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

# "x-api-key" with each letter's case drawn at random.
api_key_header_names = st.lists(st.booleans(), min_size=9, max_size=9).map(
    lambda upper: "".join(c.upper() if u else c for c, u in zip("x-api-key", upper, strict=True)))
# Header names as HTTP allows them (tokens), which may also spell x-api-key in some case by chance.
token_chars = string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~"
other_header_names = st.text(alphabet=token_chars, min_size=1, max_size=20)
any_values = st.text(max_size=60)
header_maps = st.dictionaries(st.one_of(other_header_names, api_key_header_names), any_values, max_size=8)

# Values distinctive enough that finding one in a log line can only mean it was logged.
distinctive = st.text(alphabet=string.ascii_letters + string.digits, min_size=16, max_size=40).map(
    lambda text: f"q7z{text}")


def is_api_key_header(name):
    return name.isascii() and name.lower() == "x-api-key"


def allowed(response):
    if "isAuthorized" in response:
        return response["isAuthorized"] is True
    [statement] = response["policyDocument"]["Statement"]
    return statement["Effect"] == "Allow"


@pytest.fixture
def run(authorizer, monkeypatch, support):
    """Invoke the handler `calls` times in a fresh execution environment reading `fake`; return the last response
    and everything it wrote to stdout."""

    def invoke(fake, event, calls=1):
        authorizer.reset()
        monkeypatch.setattr(authorizer, "new_secrets_client", lambda: fake)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            for _ in range(calls):
                response = authorizer.handler(event, support.FakeContext())
        return response, out.getvalue()

    return invoke


@pytest.fixture
def events(rest_event, http_event):
    return {"rest": rest_event, "http": http_event}


@SETTINGS
@given(headers=header_maps, event_format=st.sampled_from(["rest", "http"]), previous_exists=st.booleans())
def test_anything_but_one_valid_key_is_denied(run, support, events, headers, event_format, previous_exists):
    valid = {support.CURRENT_KEY} | ({support.PREVIOUS_KEY} if previous_exists else set())
    presented = [value for name, value in headers.items() if is_api_key_header(name)]
    fake = support.FakeSecrets(previous=support.PREVIOUS_KEY if previous_exists else None)
    response, out = run(fake, support.with_headers(events[event_format], headers))
    expected = len(presented) == 1 and presented[0] in valid
    assert allowed(response) is expected
    [line] = out.splitlines()
    assert json.loads(line)["decision"] == ("allow" if expected else "deny")


@SETTINGS
@given(headers=header_maps, header=api_key_header_names, event_format=st.sampled_from(["rest", "http"]),
       previous=st.booleans())
def test_one_valid_key_is_allowed_whatever_the_header_case_and_other_headers(run, support, events, headers, header,
                                                                            event_format, previous):
    headers = {name: value for name, value in headers.items() if not is_api_key_header(name)}
    headers[header] = support.PREVIOUS_KEY if previous else support.CURRENT_KEY
    response, _ = run(support.FakeSecrets(), support.with_headers(events[event_format], headers))
    assert allowed(response)


failures = st.sampled_from(["none", "no previous", "error naming the key", "secret missing", "empty secret"])


@SETTINGS
@given(
    other_headers=st.dictionaries(other_header_names.filter(lambda n: not is_api_key_header(n)), distinctive,
                                  max_size=6),
    api_key_headers=st.lists(st.tuples(api_key_header_names, distinctive | st.just("{current}")), max_size=3),
    current=distinctive, previous=distinctive, failure=failures, event_format=st.sampled_from(["rest", "http"]),
    calls=st.integers(min_value=1, max_value=3),
)
def test_no_log_line_holds_a_key_or_a_header_value(run, support, events, other_headers, api_key_headers, current,
                                                   previous, failure, event_format, calls):
    headers = dict(other_headers)
    for name, value in api_key_headers:
        headers[name] = current if value == "{current}" else value
    fake = support.FakeSecrets(current=current, previous=None if failure == "no previous" else previous)
    if failure == "error naming the key":
        fake.error = ClientError({"Error": {"Code": "InvalidRequestException", "Message": f"{current} {previous}"}},
                                 "GetSecretValue")
    elif failure == "secret missing":
        fake.error = support.not_found("AWSCURRENT")
    elif failure == "empty secret":
        fake.versions["AWSCURRENT"] = ""
    _, text = run(fake, support.with_headers(events[event_format], headers), calls=calls)  # later calls: cached
    lines = text.splitlines()
    assert len(lines) == calls
    for line in lines:
        json.loads(line)
    for private in (current, previous, *headers.values()):
        if private:
            assert private not in text
