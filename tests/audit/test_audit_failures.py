"""A call AWS refuses is never a silent gap: AccessDenied, throttling past botocore's retries, a region not enabled
or not reachable each end the audit with exit 2 and an error naming the call, kept in the snapshot so a later
`gateaudit scan` of it exits 2 with the same error.

AWS's answers are injected into the moto-backed audit session as botocore events: a `before-call` handler answers
a call as AWS answers it (status and error), a `before-send` handler answers or fails each HTTP attempt, below
botocore's retries, so those run as they do against AWS.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import EndpointConnectionError

from gateaudit.cli import main

from ._calls import record
from ._moto import REGION, _Response, rest_stack, where

NOT_ENABLED = "ap-east-1"  # an opt-in region this account has not enabled
UNREACHABLE = "eu-south-2"
# gateaudit.aws configures botocore's retries with max_attempts 10, which botocore counts as retries: the first
# attempt and ten more.
ATTEMPTS = 11


def _refused(code: str, message: str, status: int = 403, region: str | None = None):
    """A before-call handler answering as AWS refuses a call (only in `region`, when given)."""
    def answer(request_signer: Any, **_: Any) -> tuple | None:
        if region is not None and request_signer.region_name != region:
            return None
        return _Response(status), {"Error": {"Code": code, "Message": message},
                                   "ResponseMetadata": {"HTTPStatusCode": status}}
    return answer


class _Body:  # the raw stream botocore reads an HTTP response's body from
    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self.data


class _HurriedClock:
    """The clock of botocore's adaptive rate limiter, an hour later at each reading: its token bucket, which
    slows a client that is being throttled, never waits (the retries and their count are unchanged)."""

    def __init__(self) -> None:
        self.now = 0.0

    def current_time(self) -> float:
        self.now += 3600
        return self.now

    def sleep(self, amount: float) -> None:
        pass


def _no_waiting(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Retries without their waits: the backoff botocore sleeps between attempts is recorded, not slept."""
    waits: list[float] = []
    monkeypatch.setattr("botocore.endpoint.time", types.SimpleNamespace(sleep=waits.append))
    monkeypatch.setattr("botocore.retries.bucket.Clock", _HurriedClock)
    return waits


def _audit(tmp_path: Path, *options: str) -> tuple[int, dict, dict]:
    """Run `gateaudit audit`; its exit code, JSON report and snapshot."""
    snapshot, report = tmp_path / "account.json", tmp_path / "report.json"
    code = main(["audit", *options, "--snapshot", str(snapshot), "--format", "json", "--output", str(report)])
    return code, json.loads(report.read_text()), json.loads(snapshot.read_text())


def _assert_gap(tmp_path: Path, code: int, report: dict, snapshot: dict, error: str) -> None:
    """Exit 2, the error in the report, in the snapshot, and again in a later scan of the snapshot."""
    assert code == 2
    assert error in [e["message"] for e in report["errors"]]
    recorded = [f"{e['call']} failed ({'account ' + e['account'] + ', ' if e['account'] else ''}{e['region']}): "
                f"{e['reason']}: what it returns was not audited" for e in snapshot["gateaudit_account"]["errors"]]
    assert error in recorded
    again = tmp_path / "again.json"
    assert main(["scan", str(tmp_path / "account.json"), "--no-config", "--format", "json",
                 "--output", str(again)]) == 2
    assert error in [e["message"] for e in json.loads(again.read_text())["errors"]]


@pytest.mark.parametrize(("event", "code", "call"), [
    ("before-call.lambda.GetPolicy", "AccessDeniedException", "lambda:GetPolicy"),
    ("before-call.iam.GetRolePolicy", "AccessDenied", "iam:GetRolePolicy"),
    ("before-call.api-gateway.GetAuthorizers", "AccessDeniedException", "apigateway:GetAuthorizers"),
])
def test_access_denied_is_an_error_naming_the_call(aws: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                   event: str, code: str, call: str) -> None:
    rest_stack(aws)
    account = where(aws)[1]
    message = f"User: arn:aws:iam::{account}:user/auditor is not authorized to perform: {call}"
    record(monkeypatch, (event, _refused(code, message)))
    exit_code, report, snapshot = _audit(tmp_path, "--region", REGION)
    error = f"{call} failed (account {account}, {REGION}): {code}: {message}: what it returns was not audited"
    _assert_gap(tmp_path, exit_code, report, snapshot, error)
    # The rest of the account was still read: only what the refused call returns is missing.
    assert "aws_api_gateway_method" in {r["type"] for m in snapshot["values"]["root_module"]["child_modules"]
                                        for r in m["resources"]}


def test_throttling_past_the_retries_is_an_error_naming_the_call(aws: Any, monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    rest_stack(aws)
    attempts: list[str] = []
    waits = _no_waiting(monkeypatch)

    def throttled(request: Any, **_: Any) -> AWSResponse:
        attempts.append(request.url)
        return AWSResponse(request.url, 429, {"x-amzn-ErrorType": "TooManyRequestsException",
                                              "Content-Type": "application/json"},
                           _Body(b'{"message": "Too Many Requests"}'))

    calls = record(monkeypatch, ("before-send.api-gateway.GetRestApis", throttled))
    exit_code, report, snapshot = _audit(tmp_path, "--region", REGION)
    assert len(attempts) == ATTEMPTS and len(waits) == ATTEMPTS - 1, "throttling was not retried as configured"
    assert [c.operation for c in calls].count("GetRestApis") == 1, "one call, retried below it"
    error = (f"apigateway:GetRestApis failed (account {where(aws)[1]}, {REGION}): TooManyRequestsException: "
             "Too Many Requests: what it returns was not audited")
    _assert_gap(tmp_path, exit_code, report, snapshot, error)


def test_a_region_not_enabled_is_an_error_naming_it(aws: Any, monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    """STS in a region the account has not opted in to refuses the credentials; the enabled region is read."""
    rest_stack(aws)
    message = "The security token included in the request is invalid."
    record(monkeypatch, ("before-call.sts.GetCallerIdentity",
                         _refused("InvalidClientTokenId", message, region=NOT_ENABLED)))
    exit_code, report, snapshot = _audit(tmp_path, "--region", REGION, "--region", NOT_ENABLED)
    error = (f"sts:GetCallerIdentity failed ({NOT_ENABLED}): InvalidClientTokenId: {message}: what it returns "
             "was not audited")
    _assert_gap(tmp_path, exit_code, report, snapshot, error)
    assert [e["region"] for e in snapshot["gateaudit_account"]["errors"]] == [NOT_ENABLED]
    read = {m["address"] for m in snapshot["values"]["root_module"]["child_modules"] if m["resources"]}
    assert read == {f'module.aws["{where(aws)[1]}/{REGION}"]'}


def test_an_endpoint_that_cannot_be_reached_is_an_error_naming_the_call(aws: Any, monkeypatch: pytest.MonkeyPatch,
                                                                        tmp_path: Path) -> None:
    """A connection that fails is retried, then reported: the region is a gap, never an empty region."""
    rest_stack(aws)
    attempts: list[str] = []

    def unreachable(request: Any, **_: Any) -> None:
        authorization = request.headers.get("Authorization", b"")  # signed for the region the client is in
        if f"/{UNREACHABLE}/" in (authorization.decode() if isinstance(authorization, bytes) else authorization):
            attempts.append(request.url)
            raise EndpointConnectionError(endpoint_url=f"https://sts.{UNREACHABLE}.amazonaws.com/")

    _no_waiting(monkeypatch)
    record(monkeypatch, ("before-send.sts.GetCallerIdentity", unreachable))
    exit_code, report, snapshot = _audit(tmp_path, "--region", REGION, "--region", UNREACHABLE)
    assert len(attempts) == ATTEMPTS
    error = (f'sts:GetCallerIdentity failed ({UNREACHABLE}): Could not connect to the endpoint URL: '
             f'"https://sts.{UNREACHABLE}.amazonaws.com/": what it returns was not audited')
    _assert_gap(tmp_path, exit_code, report, snapshot, error)


def test_a_listing_that_says_more_follows_where_botocore_cannot_page_is_an_error(
        aws: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # GetStages of a REST API has no pages; an answer that says otherwise must not be read as the whole list.
    stack = rest_stack(aws)

    def more_follows(**_: Any) -> tuple:
        return _Response(), {"item": [], "position": "next-page"}

    record(monkeypatch, ("before-call.api-gateway.GetStages", more_follows))
    exit_code, report, snapshot = _audit(tmp_path, "--region", REGION)
    error = (f"apigateway:GetStages failed (account {where(aws)[1]}, {REGION}): answered with more pages than "
             "botocore can page through: what it returns was not audited")
    _assert_gap(tmp_path, exit_code, report, snapshot, error)
    assert stack.api_id in json.dumps(snapshot)
