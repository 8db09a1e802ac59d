"""Stacks built in moto through boto3 as a console or a script would, and the two calls moto lacks.

The moto server (tests/conftest.py's `moto_endpoint`) is a real local HTTP endpoint; each audit test works in
an empty account of its own (tests/audit/conftest.py's `aws`).

moto 5.2 lacks two read calls the audit makes; each is completed here from moto's own data, never from a
recording of what a test expects:
- apigatewayv2 GetAuthorizers: answered with GetAuthorizer of every authorizer the API's routes name (an
  authorizer no route names is not listed);
- lambda ListFunctionUrlConfigs: answered with GetFunctionUrlConfig of the unqualified function.
"""

from __future__ import annotations

import io
import itertools
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account: a server of its own (bench/audit.py); tests get their own
LAMBDA_ASSUME = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                         "Principal": {"Service": "lambda.amazonaws.com"}}]}


@dataclass
class _Response:  # what botocore reads of an HTTP response a before-call handler answers with
    status_code: int = 200
    headers: dict | None = None


def complete_moto(session: Any) -> Any:
    """Register, on a boto3 session, the two calls moto lacks (see the module's docstring)."""
    def asking_as(service: str, signer: Any) -> Any:
        """A client of moto in the region and with the credentials of the client that asked (an assumed role's
        too): the answer comes from the same account."""
        found = signer._credentials.get_frozen_credentials()
        return session.client(service, region_name=signer._region_name, aws_access_key_id=found.access_key,
                              aws_secret_access_key=found.secret_key, aws_session_token=found.token)

    def authorizers(context: dict, request_signer: Any, **_: Any) -> tuple:
        moto = asking_as("apigatewayv2", request_signer)
        api_id = context["api_params"]["ApiId"]
        ids = {route.get("AuthorizerId") for route in moto.get_routes(ApiId=api_id)["Items"]} - {None, ""}
        items = [moto.get_authorizer(ApiId=api_id, AuthorizerId=i) for i in sorted(ids)]
        return _Response(), {"Items": [{k: v for k, v in item.items() if k != "ResponseMetadata"} for item in items]}

    def url_configs(context: dict, request_signer: Any, **_: Any) -> tuple:
        moto = asking_as("lambda", request_signer)
        try:
            found = moto.get_function_url_config(FunctionName=context["api_params"]["FunctionName"])
        except moto.exceptions.ResourceNotFoundException:
            return _Response(), {"FunctionUrlConfigs": []}
        found.pop("ResponseMetadata", None)
        return _Response(), {"FunctionUrlConfigs": [found]}

    def keep_params(params: dict, context: dict, **_: Any) -> None:  # before-call sees the request, not these
        context["api_params"] = dict(params)

    session.events.register("before-parameter-build.apigatewayv2.GetAuthorizers", keep_params)
    session.events.register("before-parameter-build.lambda.ListFunctionUrlConfigs", keep_params)
    session.events.register("before-call.apigatewayv2.GetAuthorizers", authorizers)
    session.events.register("before-call.lambda.ListFunctionUrlConfigs", url_configs)
    return session


_accounts = itertools.count(300000000001)


def open_account(endpoint: str, monkeypatch: Any, tmp_path: Path) -> Any:
    """An empty moto account of its own, reached through the environment only (AWS_ENDPOINT_URL and that
    account's access key), as a user points gateaudit at moto or LocalStack; a boto3 session in it.

    moto maps an access key to the account its IAM user was created in: nothing one test builds meets another's.
    The audit's sessions get the two calls moto lacks (complete_moto).
    """
    import boto3

    from gateaudit import aws as audit

    account = str(next(_accounts))
    # The server runs in this process: the account gets the AWS managed policies when it is first used.
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION, aws_access_key_id="testing",
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
    monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    monkeypatch.setenv("AWS_REGION", REGION)
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    original = audit.session_for
    monkeypatch.setattr(audit, "session_for", lambda profile: complete_moto(original(profile)))
    session = complete_moto(boto3.Session(region_name=REGION))
    assert session.client("sts").get_caller_identity()["Account"] == account
    return session


# ---------------------------------------------------------------------------------------------- stack builders

def package(code: str = "def handler(event, context):\n    return {}\n") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("handler.py", code)
    return buffer.getvalue()


def function(session: Any, name: str, policy: dict | None = None, log_retention: int | None = 90,
             environment: dict | None = None) -> dict:
    """A Lambda function with its own role (an inline policy) and, unless None, its log group's retention."""
    region, account = where(session)
    iam = session.client("iam")
    role_name = f"{name}-{region}"  # IAM is global: the same function in two regions has two roles
    role = iam.create_role(RoleName=role_name, AssumeRolePolicyDocument=json.dumps(LAMBDA_ASSUME))["Role"]
    iam.put_role_policy(RoleName=role_name, PolicyName="least-privilege", PolicyDocument=json.dumps(
        policy or {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"arn:aws:logs:{region}:{account}:log-group:/aws/lambda/{name}:*"}]}))
    created = session.client("lambda").create_function(
        FunctionName=name, Runtime="python3.12", Role=role["Arn"], Handler="handler.handler",
        Code={"ZipFile": package()}, Environment={"Variables": environment or {}})
    if log_retention is not None:
        logs = session.client("logs")
        logs.create_log_group(logGroupName=f"/aws/lambda/{name}")
        logs.put_retention_policy(logGroupName=f"/aws/lambda/{name}", retentionInDays=log_retention)
    return created


def invoke_uri(function_arn: str) -> str:
    region = function_arn.split(":")[3]
    return f"arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function_arn}/invocations"


def where(session: Any) -> tuple[str, str]:
    """The region and account a session builds in."""
    return session.region_name, session.client("sts").get_caller_identity()["Account"]


def permissions_and_access_logs(session: Any, name: str, api_id: str, authorizer_id: str, access: str) -> str:
    """The API's permissions to invoke its two functions, each scoped to it, and its access log group kept 90
    days; the group's name."""
    region, account = where(session)
    execution_arn = f"arn:aws:execute-api:{region}:{account}:{api_id}"
    lam = session.client("lambda")
    lam.add_permission(FunctionName=f"{name}-authorizer", StatementId="AllowApiGatewayAuthorizer",
                       Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                       SourceArn=f"{execution_arn}/authorizers/{authorizer_id}")
    lam.add_permission(FunctionName=f"{name}-backend", StatementId="AllowApiGatewayItems",
                       Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                       SourceArn=f"{execution_arn}/*/*/items")
    logs = session.client("logs")
    logs.create_log_group(logGroupName=access)
    logs.put_retention_policy(logGroupName=access, retentionInDays=90)
    return access


@dataclass(frozen=True)
class RestStack:
    api_id: str
    resource_id: str
    authorizer_id: str
    authorizer_arn: str
    backend_arn: str
    region: str = REGION
    stage: str = "v1"

    def method_arn(self, http_method: str) -> str:
        api = f"arn:aws:apigateway:{self.region}::/restapis/{self.api_id}"
        return f"{api}/resources/{self.resource_id}/methods/{http_method}"


def rest_stack(session: Any, name: str = "shop") -> RestStack:
    """A REST API as the reference stack deploys it: GET and POST /items behind a REQUEST authorizer reading
    x-api-key, permissions scoped to the API, a stage with access logs and ERROR execution logging, logs kept 90
    days."""
    region, account = where(session)
    authorizer_fn = function(session, f"{name}-authorizer")
    backend_fn = function(session, f"{name}-backend")
    gateway = session.client("apigateway")
    api = gateway.create_rest_api(name=name)
    root = gateway.get_resources(restApiId=api["id"])["items"][0]["id"]
    items = gateway.create_resource(restApiId=api["id"], parentId=root, pathPart="items")
    authorizer = gateway.create_authorizer(restApiId=api["id"], name="api-key", type="REQUEST",
                                           authorizerUri=invoke_uri(authorizer_fn["FunctionArn"]),
                                           identitySource="method.request.header.x-api-key",
                                           authorizerResultTtlInSeconds=300)
    for http_method in ("GET", "POST"):
        gateway.put_method(restApiId=api["id"], resourceId=items["id"], httpMethod=http_method,
                           authorizationType="CUSTOM", authorizerId=authorizer["id"])
        gateway.put_integration(restApiId=api["id"], resourceId=items["id"], httpMethod=http_method,
                                type="AWS_PROXY", integrationHttpMethod="POST",
                                uri=invoke_uri(backend_fn["FunctionArn"]))
    access = permissions_and_access_logs(session, name, api["id"], authorizer["id"],
                                         f"/aws/apigateway/{name}/v1/access")
    deployment = gateway.create_deployment(restApiId=api["id"])
    gateway.create_stage(restApiId=api["id"], stageName="v1", deploymentId=deployment["id"])
    gateway.update_stage(restApiId=api["id"], stageName="v1", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn",
         "value": f"arn:aws:logs:{region}:{account}:log-group:{access}"},
        {"op": "replace", "path": "/accessLogSettings/format",
         "value": json.dumps({"requestId": "$context.requestId", "status": "$context.status",
                              "authorizerError": "$context.authorizer.error"})},
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"}])
    return RestStack(api["id"], items["id"], authorizer["id"],
                     f"arn:aws:apigateway:{region}::/restapis/{api['id']}/authorizers/{authorizer['id']}",
                     backend_fn["FunctionArn"], region)


@dataclass(frozen=True)
class HttpStack:
    api_id: str
    authorizer_id: str
    routes: dict[str, str]  # route key -> route id
    region: str = REGION

    def route_arn(self, key: str) -> str:
        return f"arn:aws:apigateway:{self.region}::/apis/{self.api_id}/routes/{self.routes[key]}"


def http_stack(session: Any, name: str = "orders") -> HttpStack:
    """An HTTP API as the reference stack deploys it: GET and POST /items behind a REQUEST authorizer (simple
    responses, payload 2.0) reading x-api-key, a $default stage with access logs, logs kept 90 days."""
    region, account = where(session)
    authorizer_fn = function(session, f"{name}-authorizer")
    backend_fn = function(session, f"{name}-backend")
    v2 = session.client("apigatewayv2")
    api = v2.create_api(Name=name, ProtocolType="HTTP")
    authorizer = v2.create_authorizer(ApiId=api["ApiId"], Name="api-key", AuthorizerType="REQUEST",
                                      AuthorizerUri=invoke_uri(authorizer_fn["FunctionArn"]),
                                      IdentitySource=["$request.header.x-api-key"],
                                      AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True,
                                      AuthorizerResultTtlInSeconds=300)
    integration = v2.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY",
                                        IntegrationUri=backend_fn["FunctionArn"], PayloadFormatVersion="2.0")
    routes = {}
    for key in ("GET /items", "POST /items"):
        route = v2.create_route(ApiId=api["ApiId"], RouteKey=key, AuthorizationType="CUSTOM",
                                AuthorizerId=authorizer["AuthorizerId"],
                                Target=f"integrations/{integration['IntegrationId']}")
        routes[key] = route["RouteId"]
    access = permissions_and_access_logs(session, name, api["ApiId"], authorizer["AuthorizerId"],
                                         f"/aws/apigateway/{name}/access")
    v2.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True, AccessLogSettings={
        "DestinationArn": f"arn:aws:logs:{region}:{account}:log-group:{access}",
        "Format": json.dumps({"requestId": "$context.requestId", "routeKey": "$context.routeKey"})})
    return HttpStack(api["ApiId"], authorizer["AuthorizerId"], routes, region)
