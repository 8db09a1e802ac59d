"""The handler against a real local Secrets Manager endpoint (moto in server mode), reached by boto3 over HTTP.

The handler builds its own boto3 client; only the endpoint settings boto3 reads from the environment point it at
moto. Rotation goes through the Secrets Manager API, with no reload of the handler module in between.
"""

import uuid

import boto3
import pytest

NEW_KEY = "rotated-key-1-b7e2c9d4a6f80135"
NEWER_KEY = "rotated-key-2-e4a1f8c3b9d20657"


@pytest.fixture
def secretsmanager(moto_endpoint):
    return boto3.client("secretsmanager", endpoint_url=moto_endpoint, region_name="us-east-1")


@pytest.fixture
def secret_arn(secretsmanager, support):
    name = f"gateaudit-api-key-{uuid.uuid4().hex[:8]}"
    return secretsmanager.create_secret(Name=name, SecretString=support.CURRENT_KEY)["ARN"]


@pytest.fixture
def deployed(authorizer, moto_endpoint, secret_arn, monkeypatch):
    """The handler configured as Terraform configures it, with Secrets Manager at the moto endpoint."""
    monkeypatch.setenv("API_KEY_SECRET_ARN", secret_arn)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto_endpoint)
    return authorizer


@pytest.mark.parametrize("endpoint_setting", ["AWS_ENDPOINT_URL_SECRETS_MANAGER", "AWS_ENDPOINT_URL"])
def test_both_event_formats_against_moto(authorizer, moto_endpoint, secret_arn, monkeypatch, support, rest_event,
                                         http_event, log_lines, endpoint_setting):
    monkeypatch.setenv("API_KEY_SECRET_ARN", secret_arn)
    monkeypatch.setenv(endpoint_setting, moto_endpoint)
    context = support.FakeContext()
    allow = authorizer.handler(support.with_key(rest_event, support.CURRENT_KEY), context)
    assert allow["policyDocument"]["Statement"] == [{
        "Action": "execute-api:Invoke", "Effect": "Allow",
        "Resource": "arn:aws:execute-api:us-east-1:123456789012:a1b2c3d4e5/prod/*"}]
    deny = authorizer.handler(support.with_key(rest_event, "wrong-key-00000000000000"), context)
    assert deny["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert authorizer.handler(support.with_key(http_event, support.CURRENT_KEY), context) == {"isAuthorized": True}
    assert authorizer.handler(support.with_key(http_event, "wrong-key-0000000000000"), context) == {
        "isAuthorized": False}
    assert [line["decision"] for line in log_lines()] == ["allow", "deny", "allow", "deny"]


def test_rotation_through_the_api_is_picked_up_without_a_redeploy(deployed, secretsmanager, secret_arn, support,
                                                                  rest_event, http_event, clock, log_lines):
    def call(key, event=rest_event):
        response = deployed.handler(support.with_key(event, key), support.FakeContext())
        return response.get("isAuthorized", response.get("policyDocument", {}).get("Statement", [{}])[0].get("Effect"))

    assert call(support.CURRENT_KEY) == "Allow"

    # First rotation: the new value becomes AWSCURRENT, the old one AWSPREVIOUS.
    secretsmanager.put_secret_value(SecretId=secret_arn, SecretString=NEW_KEY)
    assert call(NEW_KEY) == "Deny"  # within the minimum interval the keys read a moment ago answer
    clock.advance(30)
    assert call(NEW_KEY) == "Allow"  # a miss re-reads the secret: the new key works
    assert call(support.CURRENT_KEY) == "Allow"  # and the old key still does, as AWSPREVIOUS
    assert call(NEW_KEY, http_event) is True and call(support.CURRENT_KEY, http_event) is True

    # Second rotation: the oldest key loses its stage and stops working once the cache is read again.
    secretsmanager.put_secret_value(SecretId=secret_arn, SecretString=NEWER_KEY)
    assert call(support.CURRENT_KEY) == "Allow"  # still cached: the TTL bounds how long a retired key lives
    clock.advance(300)
    assert call(support.CURRENT_KEY) == "Deny"
    assert call(NEW_KEY) == "Allow" and call(NEWER_KEY) == "Allow"

    lines = log_lines()
    assert [(line["decision"], line["cache"], line.get("key_stage")) for line in lines] == [
        ("allow", "miss", "AWSCURRENT"),
        ("deny", "hit", None), ("allow", "refresh", "AWSCURRENT"), ("allow", "hit", "AWSPREVIOUS"),
        ("allow", "hit", "AWSCURRENT"), ("allow", "hit", "AWSPREVIOUS"),
        ("allow", "hit", "AWSPREVIOUS"), ("deny", "miss", None), ("allow", "hit", "AWSPREVIOUS"),
        ("allow", "hit", "AWSCURRENT"),
    ]
    stages = secretsmanager.list_secret_version_ids(SecretId=secret_arn)["Versions"]
    assert sorted(stage for version in stages for stage in version["VersionStages"]) == ["AWSCURRENT", "AWSPREVIOUS"]


def test_secret_that_does_not_exist_denies(deployed, secret_arn, monkeypatch, support, http_event, log_lines):
    monkeypatch.setenv("API_KEY_SECRET_ARN", secret_arn[:-6] + "Absent")
    assert deployed.handler(support.with_key(http_event, support.CURRENT_KEY), None) == {"isAuthorized": False}
    [line] = log_lines()
    # boto3 raises the modelled subclass of ClientError, named after the error code.
    assert (line["reason"], line["error_code"]) == ("error: ResourceNotFoundException", "ResourceNotFoundException")


def test_unreachable_endpoint_denies(deployed, monkeypatch, support, rest_event, log_lines):
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:9")  # discard port: nothing listens
    response = deployed.handler(support.with_key(rest_event, support.CURRENT_KEY), None)
    assert response["policyDocument"]["Statement"][0]["Effect"] == "Deny"
    assert log_lines()[0]["reason"] == "error: EndpointConnectionError"
