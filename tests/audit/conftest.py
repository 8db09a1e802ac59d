"""A fresh moto account for each audit test, on the session's moto server (tests/conftest.py; see _moto.py)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from ._moto import REGION, complete_moto

_accounts = itertools.count(300000000001)


@pytest.fixture
def aws(moto_endpoint: str, monkeypatch: pytest.MonkeyPatch, tmp_path) -> Iterator[Any]:
    """An empty moto account of its own, reached through the environment only (AWS_ENDPOINT_URL and that
    account's access key), as a user points gateaudit at moto or LocalStack; yields a boto3 session in it.

    moto maps an access key to the account its IAM user was created in: nothing one test builds meets another's.
    """
    import boto3

    from gateaudit import aws as audit

    account = str(next(_accounts))
    iam = boto3.client("iam", endpoint_url=moto_endpoint, region_name=REGION, aws_access_key_id="testing",
                       aws_secret_access_key="testing")
    iam.meta.events.register("before-sign.iam.*", lambda request, **_: request.headers.__setitem__(
        "x-moto-account-id", account))
    iam.create_user(UserName="auditor")
    key = iam.create_access_key(UserName="auditor")["AccessKey"]
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN", "AWS_ROLE_ARN",
                 "AWS_WEB_IDENTITY_TOKEN_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    original = audit.session_for
    monkeypatch.setattr(audit, "session_for", lambda profile: complete_moto(original(profile)))
    session = complete_moto(boto3.Session(region_name=REGION))
    assert session.client("sts").get_caller_identity()["Account"] == account
    yield session
