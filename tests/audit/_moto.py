"""A moto server standing in for AWS, and stacks built in it through boto3 as a console or a script would.

One ThreadedMotoServer (a real local HTTP endpoint) serves the session; each test starts from an empty account
(moto's reset API) and reaches it through the environment only (`AWS_ENDPOINT_URL`, dummy credentials), as a
user points gateaudit at LocalStack or moto.

moto 5.2 lacks two read calls the audit makes; each is completed here from moto's own data, never from a
recording of what a test expects:
- apigatewayv2 GetAuthorizers: answered with GetAuthorizer of every authorizer the API's routes name (an
  authorizer no route names is not listed);
- lambda ListFunctionUrlConfigs: answered with GetFunctionUrlConfig of the unqualified function.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

REGION = "us-east-1"
ACCOUNT = "123456789012"  # moto's default account
LAMBDA_ASSUME = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                         "Principal": {"Service": "lambda.amazonaws.com"}}]}


@dataclass
class _Response:  # what botocore reads of an HTTP response a before-call handler answers with
    status_code: int = 200
    headers: dict | None = None


def complete_moto(session: Any) -> Any:
    """Register, on a boto3 session, the two calls moto lacks (see the module's docstring)."""
    def authorizers(params: dict, model: Any, context: Any, **_: Any) -> tuple | None:
        client = session.client("apigatewayv2", region_name=context.get("client_region", REGION))
        api_id = context["api_params"]["ApiId"]
        ids = {route.get("AuthorizerId") for route in client.get_routes(ApiId=api_id)["Items"]} - {None, ""}
        items = [client.get_authorizer(ApiId=api_id, AuthorizerId=i) for i in sorted(ids)]
        return _Response(), {"Items": [{k: v for k, v in item.items() if k != "ResponseMetadata"} for item in items]}

    def url_configs(params: dict, model: Any, context: Any, **_: Any) -> tuple | None:
        client = session.client("lambda", region_name=context.get("client_region", REGION))
        try:
            found = client.get_function_url_config(FunctionName=context["api_params"]["FunctionName"])
        except client.exceptions.ResourceNotFoundException:
            return _Response(), {"FunctionUrlConfigs": []}
        found.pop("ResponseMetadata", None)
        return _Response(), {"FunctionUrlConfigs": [found]}

    def region_of(params: dict, context: dict, **_: Any) -> None:  # before-call sees the request, not these
        context["api_params"] = dict(params)

    def client_region(context: dict, request_signer: Any = None, **_: Any) -> None:
        if request_signer is not None:
            context["client_region"] = request_signer._region_name

    session.events.register("before-parameter-build.apigatewayv2.GetAuthorizers", region_of)
    session.events.register("before-parameter-build.lambda.ListFunctionUrlConfigs", region_of)
    session.events.register("before-call.*.*", client_region)
    session.events.register("before-call.apigatewayv2.GetAuthorizers", authorizers)
    session.events.register("before-call.lambda.ListFunctionUrlConfigs", url_configs)
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
    iam = session.client("iam")
    role = iam.create_role(RoleName=f"{name}-role", AssumeRolePolicyDocument=json.dumps(LAMBDA_ASSUME))["Role"]
    iam.put_role_policy(RoleName=f"{name}-role", PolicyName="least-privilege", PolicyDocument=json.dumps(
        policy or {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Resource": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/lambda/{name}:*"}]}))
    created = session.client("lambda").create_function(
        FunctionName=name, Runtime="python3.12", Role=role["Arn"], Handler="handler.handler",
        Code={"ZipFile": package()}, Environment={"Variables": environment or {}})
    if log_retention is not None:
        logs = session.client("logs")
        logs.create_log_group(logGroupName=f"/aws/lambda/{name}")
        logs.put_retention_policy(logGroupName=f"/aws/lambda/{name}", retentionInDays=log_retention)
    return created


def invoke_uri(function_arn: str) -> str:
    return f"arn:aws:apigateway:{REGION}:lambda:path/2015-03-31/functions/{function_arn}/invocations"


@dataclass(frozen=True)
class RestStack:
    api_id: str
    resource_id: str
    authorizer_id: str
    authorizer_arn: str
    backend_arn: str
    stage: str = "v1"

    def method_arn(self, http_method: str) -> str:
        api = f"arn:aws:apigateway:{REGION}::/restapis/{self.api_id}"
        return f"{api}/resources/{self.resource_id}/methods/{http_method}"


def rest_stack(session: Any, name: str = "shop") -> RestStack:
    """A REST API as the reference stack deploys it: GET and POST /items behind a REQUEST authorizer reading
    x-api-key, permissions scoped to the API, a stage with access logs and ERROR execution logging, logs kept 90
    days."""
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
    execution_arn = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api['id']}"
    lam = session.client("lambda")
    lam.add_permission(FunctionName=f"{name}-authorizer", StatementId="AllowApiGatewayAuthorizer",
                       Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                       SourceArn=f"{execution_arn}/authorizers/{authorizer['id']}")
    lam.add_permission(FunctionName=f"{name}-backend", StatementId="AllowApiGatewayItems",
                       Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                       SourceArn=f"{execution_arn}/*/*/items")
    logs = session.client("logs")
    access = f"/aws/apigateway/{name}/v1/access"
    logs.create_log_group(logGroupName=access)
    logs.put_retention_policy(logGroupName=access, retentionInDays=90)
    deployment = gateway.create_deployment(restApiId=api["id"])
    gateway.create_stage(restApiId=api["id"], stageName="v1", deploymentId=deployment["id"])
    gateway.update_stage(restApiId=api["id"], stageName="v1", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn",
         "value": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{access}"},
        {"op": "replace", "path": "/accessLogSettings/format",
         "value": json.dumps({"requestId": "$context.requestId", "status": "$context.status",
                              "authorizerError": "$context.authorizer.error"})},
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"}])
    return RestStack(api["id"], items["id"], authorizer["id"],
                     f"arn:aws:apigateway:{REGION}::/restapis/{api['id']}/authorizers/{authorizer['id']}",
                     backend_fn["FunctionArn"])
