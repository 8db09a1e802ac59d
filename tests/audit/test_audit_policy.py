"""docs/audit-policy.json is the IAM policy `gateaudit audit` needs: every call an audit makes is allowed by it,
every action it grants is one the audit calls, and each is a read.

An audit of a moto account holding each kind of thing the audit reads (a REST stack, an HTTP API with its route,
authorizer, integration and access-logged stage, a function whose role has a customer-managed and an AWS
managed policy attached, a secret), with --all-regions, records every call botocore is about to send, names the
IAM action and resource each needs (`apigateway:GET` on the request path's ARN for API Gateway) and evaluates
the policy's Allow statements on them as IAM does: `*` and `?` wildcards, actions case-insensitive.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from gateaudit.cli import main

from ._calls import Call, record
from ._moto import ACCOUNT, REGION, function, invoke_uri, rest_stack, where

POLICY = Path(__file__).resolve().parents[2] / "docs" / "audit-policy.json"
# Calls no IAM policy can allow or deny, so the policy leaves them out: AWS documents that GetCallerIdentity
# needs no permission (the audit asks it which account a region belongs to).
NEEDS_NO_PERMISSION = {"sts:GetCallerIdentity"}
READ_ACTION = re.compile(r"^(apigateway:GET|[a-z0-9-]+:(Get|List|Describe)[A-Za-z]+)$")
AWS_MANAGED = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"


def _statements() -> list[dict]:
    statements = json.loads(POLICY.read_text())["Statement"]
    return [statements] if isinstance(statements, dict) else statements


def _listed(statement: dict, key: str) -> list[str]:
    value = statement[key]
    return [value] if isinstance(value, str) else value


@cache
def _pattern(text: str, ignore_case: bool) -> re.Pattern[str]:
    """An IAM wildcard as a regular expression: `*` any run of characters (slashes too), `?` one character."""
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in text)
    return re.compile(f"^{body}$", re.IGNORECASE if ignore_case else 0)


def _action(call: Call) -> str:
    """The IAM action a call needs: API Gateway's management API is authorized by HTTP verb, not operation."""
    return f"apigateway:{call.http_method}" if call.prefix == "apigateway" else call.name


def _resource(call: Call) -> str:
    """The resource a call is authorized on, as IAM names it."""
    params = call.params
    if call.prefix == "apigateway":  # the HTTP API (v2) paths start /v2/; their ARNs do not
        return f"arn:aws:apigateway:{call.region}::{call.path.removeprefix('/v2')}"
    if call.prefix == "lambda" and "FunctionName" in params:
        name = params["FunctionName"]
        return name if name.startswith("arn:") else f"arn:aws:lambda:{call.region}:{ACCOUNT}:function:{name}"
    if call.prefix == "iam":
        return params.get("PolicyArn") or f"arn:aws:iam::{ACCOUNT}:role/{params['RoleName']}"
    if call.name == "logs:DescribeLogGroups":
        return f"arn:aws:logs:{call.region}:{ACCOUNT}:log-group:*"
    return "*"  # the listings (ListFunctions, ListSecrets, DescribeRegions) take no resource


def _allowing(action: str, resource: str) -> list[tuple[dict, str]]:
    """The (statement, resource pattern) pairs of the policy that allow `action` on `resource`."""
    return [(statement, pattern) for statement in _statements() if statement["Effect"] == "Allow"
            and any(_pattern(a, True).match(action) for a in _listed(statement, "Action"))
            for pattern in _listed(statement, "Resource") if _pattern(pattern, False).match(resource)]


def _http_api(session: Any) -> None:
    """An HTTP API as a console builds one: GET /orders behind a REQUEST authorizer, a Lambda integration, the
    $default stage writing access logs."""
    account = where(session)[1]
    authorizer_fn = function(session, "orders-authorizer")
    backend_fn = function(session, "orders-backend")
    gateway = session.client("apigatewayv2")
    api = gateway.create_api(Name="orders", ProtocolType="HTTP")
    integration = gateway.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY",
                                             IntegrationUri=backend_fn["FunctionArn"], PayloadFormatVersion="2.0")
    authorizer = gateway.create_authorizer(ApiId=api["ApiId"], Name="api-key", AuthorizerType="REQUEST",
                                           AuthorizerUri=invoke_uri(authorizer_fn["FunctionArn"]),
                                           IdentitySource=["$request.header.x-api-key"],
                                           AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True)
    gateway.create_route(ApiId=api["ApiId"], RouteKey="GET /orders", AuthorizationType="CUSTOM",
                         AuthorizerId=authorizer["AuthorizerId"], Target=f"integrations/{integration['IntegrationId']}")
    logs = session.client("logs")
    logs.create_log_group(logGroupName="/aws/apigateway/orders/access")
    gateway.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True, AccessLogSettings={
        "DestinationArn": f"arn:aws:logs:{REGION}:{account}:log-group:/aws/apigateway/orders/access",
        "Format": '{"requestId":"$context.requestId"}'})
    iam = session.client("iam")
    managed = iam.create_policy(PolicyName="orders-table-read", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "dynamodb:GetItem",
                                                "Resource": f"arn:aws:dynamodb:{REGION}:{account}:table/orders"}]}))
    iam.attach_role_policy(RoleName=f"orders-backend-{REGION}", PolicyArn=managed["Policy"]["Arn"])
    iam.attach_role_policy(RoleName=f"orders-backend-{REGION}", PolicyArn=AWS_MANAGED)
    session.client("secretsmanager").create_secret(Name="orders/api-key", SecretString="not-read-by-the-audit")


def _method_listed_without_settings(parsed: dict, **_: Any) -> None:
    """AWS may list a resource's method without its settings: the audit then asks for the method (GetMethod)."""
    for resource in parsed.get("items", ()):
        for http_method in resource.get("resourceMethods") or {}:
            resource["resourceMethods"][http_method] = {"httpMethod": http_method}
            return


@pytest.fixture
def calls(aws: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Call]:
    """Every call one audit of a full account made (--all-regions): it must succeed, or a call went unread."""
    rest_stack(aws)
    _http_api(aws)
    recorded = record(monkeypatch, ("after-call.api-gateway.GetResources", _method_listed_without_settings))
    snapshot = tmp_path / "account.json"
    code = main(["audit", "--all-regions", "--snapshot", str(snapshot), "--format", "json",
                 "--output", str(tmp_path / "report.json")])
    errors = json.loads(snapshot.read_text())["gateaudit_account"]["errors"]
    assert errors == [] and code in (0, 1), (code, errors)
    return recorded


def test_every_call_the_audit_makes_is_allowed_by_the_policy(calls: list[Call]) -> None:
    kinds = {call.name for call in calls}
    # The account held each kind of thing the audit reads: each kind of read was made.
    assert {"apigateway:GetMethod", "apigateway:GetRoutes", "apigateway:GetAuthorizers", "apigateway:GetIntegrations",
            "apigateway:GetStages", "iam:GetPolicyVersion", "secretsmanager:ListSecrets",
            "ec2:DescribeRegions"} <= kinds
    assert {call.region for call in calls} > {REGION}, "--all-regions read one region only"
    denied = sorted({f"{call.name} ({_action(call)} on {_resource(call)})" for call in calls
                     if call.name not in NEEDS_NO_PERMISSION and not _allowing(_action(call), _resource(call))})
    assert denied == [], f"docs/audit-policy.json does not allow: {denied}"


def test_the_policy_grants_only_what_the_audit_calls(calls: list[Call]) -> None:
    used = {(statement["Sid"], pattern) for call in calls
            for statement, pattern in _allowing(_action(call), _resource(call))}
    granted = {action.lower() for statement in _statements() for action in _listed(statement, "Action")}
    called = {_action(call).lower() for call in calls}
    assert granted - called == set(), "granted but never called: remove them from docs/audit-policy.json"
    unused = [f"{statement['Sid']}: {pattern}" for statement in _statements()
              for pattern in _listed(statement, "Resource") if (statement["Sid"], pattern) not in used]
    assert unused == [], "resources no call needed"
    assert {call.name for call in calls} >= NEEDS_NO_PERMISSION, "a call said to need no permission is not made"


def test_the_policy_is_read_only() -> None:
    statements = _statements()
    assert {statement["Effect"] for statement in statements} == {"Allow"}
    assert all(set(statement) == {"Sid", "Effect", "Action", "Resource"} for statement in statements), \
        "no NotAction, NotResource or Condition: what is granted is what is listed"
    assert all(re.fullmatch(r"[A-Za-z0-9]+", statement["Sid"]) for statement in statements)
    actions = [action for statement in statements for action in _listed(statement, "Action")]
    assert [a for a in actions if "*" in a or "?" in a or not READ_ACTION.match(a)] == []
    assert "secretsmanager:getsecretvalue" not in {a.lower() for a in actions}


def test_the_audit_never_reads_a_secret_value(calls: list[Call]) -> None:
    assert "secretsmanager:ListSecrets" in {call.name for call in calls}
    assert [call for call in calls if call.prefix == "secretsmanager" and call.operation != "ListSecrets"] == []
