"""The deployed account as a source: what runs, read through boto3, written as a Terraform state document.

`read(targets)` asks AWS, read-only, for each region (and account, through an assumed role) what the rules
judge: REST and HTTP/WebSocket APIs with their resources, methods, routes, authorizers, integrations and
stages; the Lambda functions they call with their resource policies and roles; those roles' inline and attached
policies as documents; Secrets Manager secrets' metadata (never a value); log groups; the account's API Gateway
CloudWatch role. Each thing read becomes a resource of the AWS provider's own type with the attributes a
`terraform show -json` state holds for it, addressed by its ARN. So the account is one more state: the model
is built from it as from any state (`gateaudit.plan`), and the same rules judge it.

What could not be read is never left out quietly: each failed call is an `AuditError` naming the call, the
region and AWS's reason, kept in the document (`gateaudit_account.errors`) so every report of it shows the gap
and exits 2. Values the account cannot show (a function's code, a secret's value) are simply not there: the
rules that need them say unknown, as they do for a state.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

from .plan import ACCOUNT_MARKER as MARKER

MAX_WORKERS = 4  # regions and accounts read at once: adaptive retries keep each within its rate
SESSION_NAME = "gateaudit-audit"
NEXT_PAGE = ("NextToken", "nextToken", "position", "Marker", "NextMarker")  # how AWS says a page is not the last
_SESSION = threading.Lock()  # a boto3 Session is not thread-safe: the regions' threads make clients one at a time
MAX_REASON = 300  # characters of AWS's reason for a failed call kept in the report
# A log group matters when a function writes to it or a stage's access logs go there; the rest of the
# account's log groups are not the stack's.
LAMBDA_LOG_PREFIX = "/aws/lambda/"


@dataclass(frozen=True)
class Target:
    """One place to read: a region, in the account of the caller or of a role assumed there."""

    region: str
    role_arn: str | None = None


@dataclass(frozen=True)
class AuditError:
    """A call that failed: the audit did not see what it would have returned."""

    call: str  # `apigateway:GetRestApis`
    region: str
    account: str
    reason: str

    def __str__(self) -> str:
        account = f"account {self.account}, " if self.account else ""
        return f"{self.call} failed ({account}{self.region}): {self.reason}: what it returns was not audited"


@dataclass
class Snapshot:
    """What one audit read: the state document (its failed calls recorded in it) and how many calls it took."""

    document: dict
    calls: int


class CallFailed(Exception):
    """A call whose failure leaves nothing below it to read (the listing of a region's APIs)."""


@dataclass
class _Region:
    """Reading one region of one account: its clients, what it found, what failed, how many calls."""

    session: Any
    region: str
    account: str = ""
    resources: list[dict] = field(default_factory=list)
    errors: list[AuditError] = field(default_factory=list)
    calls: int = 0
    clients: dict[str, Any] = field(default_factory=dict)
    credentials: dict[str, str] = field(default_factory=dict)  # an assumed role's, for every client after it
    roles: set[str] = field(default_factory=set)  # role names read: each once
    policies: set[str] = field(default_factory=set)  # managed policy ARNs read: each once

    def client(self, service: str) -> Any:
        if service not in self.clients:
            from botocore.config import Config

            config = Config(retries={"mode": "adaptive", "max_attempts": 10}, connect_timeout=10, read_timeout=60,
                            user_agent_extra="gateaudit-audit")
            with _SESSION:
                self.clients[service] = self.session.client(service, region_name=self.region, config=config,
                                                            **self.credentials)
        return self.clients[service]

    def call(self, service: str, operation: str, *, missing_ok: tuple[str, ...] = (), **params: Any) -> dict | None:
        """One call; None when it failed (recorded) or the thing is gone (`missing_ok` error codes)."""
        from botocore.exceptions import BotoCoreError, ClientError

        client = self.client(service)
        self.calls += 1
        try:
            return getattr(client, operation)(**params)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code", "") in missing_ok:
                return None
            self._failed(client, operation, _reason(error))
        except BotoCoreError as error:
            self._failed(client, operation, str(error))
        return None

    def pages(self, service: str, operation: str, key: str, **params: Any) -> list[dict] | None:
        """Every item of a listing, page after page; None when a page failed (recorded)."""
        from botocore.exceptions import BotoCoreError, ClientError

        client = self.client(service)
        if not client.can_paginate(operation):
            found = self.call(service, operation, **params)
            if found is not None and any(found.get(token) for token in NEXT_PAGE):  # never a quiet first page
                self._failed(client, operation, "answered with more pages than botocore can page through")
                return None
            return None if found is None else list(found.get(key, ()))
        items: list[dict] = []
        try:
            for page in client.get_paginator(operation).paginate(**params):
                self.calls += 1
                items.extend(page.get(key, ()))
        except ClientError as error:
            self.calls += 1
            self._failed(client, operation, _reason(error))
            return None
        except BotoCoreError as error:
            self._failed(client, operation, str(error))
            return None
        return items

    def _failed(self, client: Any, operation: str, reason: str) -> None:
        name = client.meta.method_to_api_mapping.get(operation, operation)
        # The first line, bounded: an endpoint that answers with a page of HTML must not fill the report.
        reason = (reason.strip(": ").splitlines() or [""])[0][:MAX_REASON]
        self.errors.append(AuditError(f"{client.meta.service_model.service_name}:{name}", self.region, self.account,
                                      reason or "no reason given"))

    def add(self, type_: str, address: str, name: str, values: dict) -> dict:
        resource = {"address": address, "mode": "managed", "type": type_, "name": _name(name),
                    "provider_name": "registry.terraform.io/hashicorp/aws", "values": values}
        self.resources.append(resource)
        return resource


def _reason(error: Any) -> str:
    """AWS's code and message of a refused call (`AccessDenied: User ... is not authorized ...`)."""
    found = error.response.get("Error", {})
    return f"{found.get('Code', '')}: {found.get('Message', '')}"


def _name(text: str) -> str:
    """A Terraform-like name for what a resource is called in the account (its address is its ARN)."""
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_")
    return cleaned if cleaned and not cleaned[0].isdigit() else f"r_{cleaned}"


# ------------------------------------------------------------------------------------------------- reading

def setup_errors() -> tuple[type[Exception], ...]:
    """What a profile, region or credentials problem raises before anything is read (botocore is imported only
    by an audit: a scan never pays for it)."""
    from botocore.exceptions import BotoCoreError, ClientError

    return (BotoCoreError, ClientError)


DEFAULT_REGION = "us-east-1"  # where EC2 is asked which regions are enabled, when no region is configured


def session_for(profile: str | None) -> Any:
    """The standard boto3 session: profile, environment, endpoints (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`)
    as boto3 itself reads them."""
    import boto3

    return boto3.Session(profile_name=profile) if profile else boto3.Session()


def enabled_regions(session: Any, region: str) -> list[str]:
    """The regions the account can use (EC2's own answer; one not opted in is left out, as AWS leaves it out)."""
    client = session.client("ec2", region_name=region)
    found = client.describe_regions(Filters=[{"Name": "opt-in-status",
                                              "Values": ["opt-in-not-required", "opted-in"]}])
    return sorted(entry["RegionName"] for entry in found.get("Regions", ()))


def read(session: Any, targets: list[Target], progress: Callable[[str], None] | None = None) -> Snapshot:
    """Read every target (concurrently, at most MAX_WORKERS at once) into one state document."""
    from concurrent.futures import ThreadPoolExecutor

    say = progress or (lambda _line: None)
    lock = threading.Lock()

    def one(target: Target) -> _Region:
        region = _Region(session=session, region=target.region)
        try:
            if target.role_arn:
                _assume(target, region)
            identity = region.call("sts", "get_caller_identity")
            if identity is None:
                raise CallFailed
            region.account = identity["Account"]
            with lock:
                say(f"reading account {region.account}, {region.region}")
            _read_region(region)
        except CallFailed:
            pass
        with lock:
            say(f"read account {region.account or '?'}, {region.region}: {_summary(region.resources)}"
                f"{f', {len(region.errors)} failed call(s)' if region.errors else ''} ({region.calls} calls)")
        return region

    with ThreadPoolExecutor(max_workers=max(1, min(MAX_WORKERS, len(targets)))) as pool:
        regions = list(pool.map(one, targets))
    return Snapshot(document(regions), sum(r.calls for r in regions))


def _assume(target: Target, region: _Region) -> None:
    """Read the rest of the target with the credentials of the role it names (the same session otherwise: its
    endpoints and settings stay)."""
    found = region.call("sts", "assume_role", RoleArn=target.role_arn, RoleSessionName=SESSION_NAME)
    if found is None:
        raise CallFailed
    credentials = found["Credentials"]
    region.clients.clear()
    region.credentials = {"aws_access_key_id": credentials["AccessKeyId"],
                          "aws_secret_access_key": credentials["SecretAccessKey"],
                          "aws_session_token": credentials["SessionToken"]}


COUNTED = {"aws_api_gateway_rest_api": "REST API", "aws_apigatewayv2_api": "HTTP/WebSocket API",
           "aws_lambda_function": "Lambda function"}  # what progress says a region holds


def _summary(resources: list[dict]) -> str:
    counts = dict.fromkeys(COUNTED.values(), 0)
    for resource in resources:
        if resource["type"] in COUNTED:
            counts[COUNTED[resource["type"]]] += 1
    return ", ".join(f"{count} {kind}{'s' if count != 1 else ''}" for kind, count in counts.items())


def _read_region(region: _Region) -> None:
    functions = region.pages("lambda", "list_functions", "Functions") or []
    used_roles: set[str] = set()
    log_groups: set[str] = set()
    rest_apis = region.pages("apigateway", "get_rest_apis", "items", PaginationConfig={"PageSize": 500})
    for api in rest_apis or ():
        _rest_api(region, api, log_groups)
    http_apis = region.pages("apigatewayv2", "get_apis", "Items")
    for api in http_apis or ():
        _http_api(region, api, log_groups)
    account = region.call("apigateway", "get_account")
    if account is not None:
        role_arn = account.get("cloudwatchRoleArn") or ""
        region.add("aws_api_gateway_account", f"arn:aws:apigateway:{region.region}::/account", "account",
                   {"id": "api-gateway-account", "cloudwatch_role_arn": role_arn})
        if role_arn:
            used_roles.add(role_arn)
    for function in functions:
        _lambda_function(region, function, used_roles, log_groups)
    for role_arn in sorted(used_roles):
        _role(region, role_arn)
    _secrets(region)
    _log_groups(region, log_groups)


# ------------------------------------------------------------------------------------------------ REST APIs

def _rest_api(region: _Region, api: dict, log_groups: set[str]) -> None:
    api_id, name = api["id"], api.get("name", api["id"])
    arn = f"arn:aws:apigateway:{region.region}::/restapis/{api_id}"
    execution_arn = f"arn:aws:execute-api:{region.region}:{region.account}:{api_id}"
    resources = region.pages("apigateway", "get_resources", "items", restApiId=api_id, embed=["methods"],
                             PaginationConfig={"PageSize": 500}) or []
    root = next((r["id"] for r in resources if r.get("path") == "/"), "")
    region.add("aws_api_gateway_rest_api", arn, name, {
        "id": api_id, "arn": arn, "name": name, "execution_arn": execution_arn, "root_resource_id": root,
        "description": api.get("description", ""), "api_key_source": api.get("apiKeySource", "HEADER"),
        "disable_execute_api_endpoint": bool(api.get("disableExecuteApiEndpoint", False)),
        "endpoint_configuration": [{"types": list(api.get("endpointConfiguration", {}).get("types", ())),
                                    "vpc_endpoint_ids": list(api.get("endpointConfiguration", {})
                                                             .get("vpcEndpointIds", ()))}],
        "policy": _policy_text(api.get("policy")), "tags": api.get("tags") or None, "body": None})
    for resource in resources:
        _rest_resource(region, api_id, arn, resource)
    for authorizer in region.pages("apigateway", "get_authorizers", "items", restApiId=api_id) or ():
        authorizer_arn = f"{arn}/authorizers/{authorizer['id']}"
        region.add("aws_api_gateway_authorizer", authorizer_arn, authorizer.get("name", authorizer["id"]), {
            "id": authorizer["id"], "arn": authorizer_arn, "rest_api_id": api_id,
            "name": authorizer.get("name", ""), "type": authorizer.get("type", "TOKEN"),
            "authorizer_uri": authorizer.get("authorizerUri", ""),
            "identity_source": authorizer.get("identitySource", ""),
            "identity_validation_expression": authorizer.get("identityValidationExpression", ""),
            "authorizer_result_ttl_in_seconds": authorizer.get("authorizerResultTtlInSeconds", 300),
            "authorizer_credentials": authorizer.get("authorizerCredentials", ""),
            "provider_arns": authorizer.get("providerARNs")})
    for stage in region.pages("apigateway", "get_stages", "item", restApiId=api_id) or ():
        _rest_stage(region, api_id, arn, execution_arn, stage, log_groups)


def _rest_resource(region: _Region, api_id: str, api_arn: str, resource: dict) -> None:
    resource_arn = f"{api_arn}/resources/{resource['id']}"
    path = resource.get("path", "")
    if path != "/":
        region.add("aws_api_gateway_resource", resource_arn, path, {
            "id": resource["id"], "rest_api_id": api_id, "parent_id": resource.get("parentId", ""),
            "path": path, "path_part": resource.get("pathPart", "")})
    for http_method, method in sorted((resource.get("resourceMethods") or {}).items()):
        if "authorizationType" not in method:  # listed without its settings: ask for the method itself
            method = region.call("apigateway", "get_method", restApiId=api_id, resourceId=resource["id"],
                                 httpMethod=http_method)
            if method is None:
                continue
        method_arn = f"{resource_arn}/methods/{http_method}"
        region.add("aws_api_gateway_method", method_arn, f"{http_method} {path}", {
            "id": f"agm-{api_id}-{resource['id']}-{http_method}", "rest_api_id": api_id,
            "resource_id": resource["id"], "http_method": http_method,
            "authorization": method.get("authorizationType", "NONE"), "authorizer_id": method.get("authorizerId"),
            "api_key_required": bool(method.get("apiKeyRequired", False)),
            "authorization_scopes": method.get("authorizationScopes"),
            "request_parameters": method.get("requestParameters")})
        integration = method.get("methodIntegration")
        if integration:
            region.add("aws_api_gateway_integration", f"{method_arn}/integration", f"{http_method} {path}", {
                "id": f"agi-{api_id}-{resource['id']}-{http_method}", "rest_api_id": api_id,
                "resource_id": resource["id"], "http_method": http_method, "type": integration.get("type", ""),
                "uri": integration.get("uri", ""), "integration_http_method": integration.get("httpMethod"),
                "credentials": integration.get("credentials", ""),
                "request_parameters": integration.get("requestParameters"),
                "connection_type": integration.get("connectionType", "INTERNET")})


def _rest_stage(region: _Region, api_id: str, api_arn: str, execution_arn: str, stage: dict,
                log_groups: set[str]) -> None:
    name = stage["stageName"]
    stage_arn = f"{api_arn}/stages/{name}"
    logs = stage.get("accessLogSettings") or {}
    if logs.get("destinationArn"):
        log_groups.add(_log_group_name(logs["destinationArn"]))
    log_groups.add(f"API-Gateway-Execution-Logs_{api_id}/{name}")
    region.add("aws_api_gateway_stage", stage_arn, name, {
        "id": f"ags-{api_id}-{name}", "arn": stage_arn, "rest_api_id": api_id, "stage_name": name,
        "deployment_id": stage.get("deploymentId", ""), "execution_arn": f"{execution_arn}/{name}",
        "access_log_settings": [{"destination_arn": logs["destinationArn"], "format": logs.get("format", "")}]
        if logs.get("destinationArn") else [],
        "xray_tracing_enabled": bool(stage.get("tracingEnabled", False)),
        "cache_cluster_enabled": bool(stage.get("cacheClusterEnabled", False)),
        "client_certificate_id": stage.get("clientCertificateId", ""), "variables": stage.get("variables"),
        "web_acl_arn": stage.get("webAclArn", ""), "tags": stage.get("tags") or None})
    for method_path, settings in sorted((stage.get("methodSettings") or {}).items()):
        region.add("aws_api_gateway_method_settings", f"{stage_arn}/settings/{method_path}",
                   f"{name} {method_path}", {
                       "id": f"{api_id}-{name}-{method_path}", "rest_api_id": api_id, "stage_name": name,
                       "method_path": method_path, "settings": [{
                           "logging_level": settings.get("loggingLevel", "OFF"),
                           "data_trace_enabled": bool(settings.get("dataTraceEnabled", False)),
                           "metrics_enabled": bool(settings.get("metricsEnabled", False)),
                           "caching_enabled": bool(settings.get("cachingEnabled", False)),
                           "cache_data_encrypted": bool(settings.get("cacheDataEncrypted", False)),
                           "throttling_burst_limit": settings.get("throttlingBurstLimit", -1),
                           "throttling_rate_limit": settings.get("throttlingRateLimit", -1),
                           "require_authorization_for_cache_control":
                               bool(settings.get("requireAuthorizationForCacheControl", False))}]})


# --------------------------------------------------------------------------------------- HTTP and WebSocket APIs

def _http_api(region: _Region, api: dict, log_groups: set[str]) -> None:
    api_id, name = api["ApiId"], api.get("Name", api["ApiId"])
    arn = f"arn:aws:apigateway:{region.region}::/apis/{api_id}"
    region.add("aws_apigatewayv2_api", arn, name, {
        "id": api_id, "arn": arn, "name": name, "protocol_type": api.get("ProtocolType", "HTTP"),
        "api_endpoint": api.get("ApiEndpoint", ""),
        "execution_arn": f"arn:aws:execute-api:{region.region}:{region.account}:{api_id}",
        "disable_execute_api_endpoint": bool(api.get("DisableExecuteApiEndpoint", False)),
        "route_selection_expression": api.get("RouteSelectionExpression", ""),
        "api_key_selection_expression": api.get("ApiKeySelectionExpression", ""),
        "tags": api.get("Tags") or None, "body": None})
    for route in region.pages("apigatewayv2", "get_routes", "Items", ApiId=api_id) or ():
        region.add("aws_apigatewayv2_route", f"{arn}/routes/{route['RouteId']}", route.get("RouteKey", ""), {
            "id": route["RouteId"], "api_id": api_id, "route_key": route.get("RouteKey", ""),
            "authorization_type": route.get("AuthorizationType", "NONE"),
            "authorizer_id": route.get("AuthorizerId", ""),
            "api_key_required": bool(route.get("ApiKeyRequired", False)),
            "authorization_scopes": route.get("AuthorizationScopes"), "target": route.get("Target", ""),
            "operation_name": route.get("OperationName", "")})
    for authorizer in region.pages("apigatewayv2", "get_authorizers", "Items", ApiId=api_id) or ():
        authorizer_id = authorizer["AuthorizerId"]
        jwt = authorizer.get("JwtConfiguration")
        region.add("aws_apigatewayv2_authorizer", f"{arn}/authorizers/{authorizer_id}",
                   authorizer.get("Name", authorizer_id), {
                       "id": authorizer_id, "api_id": api_id, "name": authorizer.get("Name", ""),
                       "authorizer_type": authorizer.get("AuthorizerType", ""),
                       "authorizer_uri": authorizer.get("AuthorizerUri", ""),
                       "identity_sources": list(authorizer.get("IdentitySource") or ()),
                       "authorizer_payload_format_version": authorizer.get("AuthorizerPayloadFormatVersion"),
                       "enable_simple_responses": bool(authorizer.get("EnableSimpleResponses", False)),
                       "authorizer_result_ttl_in_seconds": authorizer.get("AuthorizerResultTtlInSeconds", 0),
                       "authorizer_credentials_arn": authorizer.get("AuthorizerCredentialsArn", ""),
                       "jwt_configuration": [{"audience": jwt.get("Audience", []), "issuer": jwt.get("Issuer", "")}]
                       if jwt else []})
    for integration in region.pages("apigatewayv2", "get_integrations", "Items", ApiId=api_id) or ():
        integration_id = integration["IntegrationId"]
        region.add("aws_apigatewayv2_integration", f"{arn}/integrations/{integration_id}", integration_id, {
            "id": integration_id, "api_id": api_id, "integration_type": integration.get("IntegrationType", ""),
            "integration_uri": integration.get("IntegrationUri", ""),
            "integration_method": integration.get("IntegrationMethod", ""),
            "payload_format_version": integration.get("PayloadFormatVersion", "1.0"),
            "credentials_arn": integration.get("CredentialsArn", ""),
            "request_parameters": integration.get("RequestParameters")})
    for stage in region.pages("apigatewayv2", "get_stages", "Items", ApiId=api_id) or ():
        _http_stage(region, api_id, arn, stage, log_groups)


def _http_stage(region: _Region, api_id: str, api_arn: str, stage: dict, log_groups: set[str]) -> None:
    name = stage["StageName"]
    stage_arn = f"{api_arn}/stages/{name}"
    logs = stage.get("AccessLogSettings") or {}
    if logs.get("DestinationArn"):
        log_groups.add(_log_group_name(logs["DestinationArn"]))

    def route_settings(settings: dict) -> dict:
        return {"logging_level": settings.get("LoggingLevel", "OFF"),
                "data_trace_enabled": bool(settings.get("DataTraceEnabled", False)),
                "detailed_metrics_enabled": bool(settings.get("DetailedMetricsEnabled", False)),
                "throttling_burst_limit": settings.get("ThrottlingBurstLimit", 0),
                "throttling_rate_limit": settings.get("ThrottlingRateLimit", 0)}

    region.add("aws_apigatewayv2_stage", stage_arn, name, {
        "id": name, "arn": stage_arn, "api_id": api_id, "name": name,
        "auto_deploy": bool(stage.get("AutoDeploy", False)), "deployment_id": stage.get("DeploymentId", ""),
        "access_log_settings": [{"destination_arn": logs["DestinationArn"], "format": logs.get("Format", "")}]
        if logs.get("DestinationArn") else [],
        "default_route_settings": [route_settings(stage.get("DefaultRouteSettings") or {})],
        "route_settings": [{"route_key": key, **route_settings(settings)}
                           for key, settings in sorted((stage.get("RouteSettings") or {}).items())],
        "stage_variables": stage.get("StageVariables"), "tags": stage.get("Tags") or None})


# ---------------------------------------------------------------------------------------- Lambda and IAM

def _lambda_function(region: _Region, function: dict, roles: set[str], log_groups: set[str]) -> None:
    name, arn = function["FunctionName"], function["FunctionArn"]
    logging = function.get("LoggingConfig") or {}
    log_groups.add(logging.get("LogGroup") or f"{LAMBDA_LOG_PREFIX}{name}")
    if function.get("Role"):
        roles.add(function["Role"])
    variables = (function.get("Environment") or {}).get("Variables")
    region.add("aws_lambda_function", arn, name, {
        "id": name, "arn": arn, "function_name": name, "qualified_arn": f"{arn}:{function.get('Version', '$LATEST')}",
        "invoke_arn": f"arn:aws:apigateway:{region.region}:lambda:path/2015-03-31/functions/{arn}/invocations",
        "role": function.get("Role", ""), "handler": function.get("Handler", ""),
        "runtime": function.get("Runtime", ""), "package_type": function.get("PackageType", "Zip"),
        "image_uri": "", "filename": None, "s3_bucket": None, "description": function.get("Description", ""),
        "environment": [{"variables": variables}] if variables else [],
        "kms_key_arn": function.get("KMSKeyArn", ""),
        "tracing_config": [{"mode": (function.get("TracingConfig") or {}).get("Mode", "PassThrough")}],
        "logging_config": [{"log_format": logging.get("LogFormat", "Text"), "log_group": logging.get("LogGroup", ""),
                            "application_log_level": logging.get("ApplicationLogLevel", ""),
                            "system_log_level": logging.get("SystemLogLevel", "")}] if logging else [],
        "layers": [layer["Arn"] for layer in function.get("Layers", ())],
        "code_sha256": function.get("CodeSha256", ""), "timeout": function.get("Timeout", 3)})
    policy = region.call("lambda", "get_policy", missing_ok=("ResourceNotFoundException",), FunctionName=name)
    for statement in _statements((policy or {}).get("Policy")):
        _permission(region, arn, statement)
    for url in region.pages("lambda", "list_function_url_configs", "FunctionUrlConfigs", FunctionName=name) or ():
        region.add("aws_lambda_function_url", url.get("FunctionArn", arn) + "/url", name, {
            "id": name, "function_name": name, "function_arn": url.get("FunctionArn", arn),
            "authorization_type": url.get("AuthType", ""), "function_url": url.get("FunctionUrl", "")})


def _permission(region: _Region, function_arn: str, statement: dict) -> None:
    """A statement of a function's resource policy, as the aws_lambda_permission that would have added it."""
    principal = statement.get("Principal", "")
    if isinstance(principal, dict):
        principal = principal.get("Service") or principal.get("AWS") or json.dumps(principal, sort_keys=True)
    action = statement.get("Action", "")
    condition = statement.get("Condition") or {}
    source_arn = _condition(condition, "AWS:SourceArn")
    sid = statement.get("Sid", "")
    region.add("aws_lambda_permission", f"{function_arn}/policy/{sid}", sid or "statement", {
        "id": sid, "statement_id": sid, "function_name": function_arn,
        "action": action if isinstance(action, str) else json.dumps(action),
        "principal": principal if isinstance(principal, str) else json.dumps(principal),
        "source_arn": source_arn, "source_account": _condition(condition, "AWS:SourceAccount"),
        "principal_org_id": _condition(condition, "aws:PrincipalOrgID"),
        "function_url_auth_type": _condition(condition, "lambda:FunctionUrlAuthType"),
        "effect": statement.get("Effect", "Allow"), "qualifier": ""})


def _condition(condition: dict, key: str) -> str | None:
    for operator in condition.values():
        if isinstance(operator, dict):
            for name, value in operator.items():
                if name.lower() == key.lower():
                    return value if isinstance(value, str) else json.dumps(value)
    return None


def _role(region: _Region, role_arn: str) -> None:
    name = role_arn.rsplit("/", 1)[-1]
    if name in region.roles:
        return
    region.roles.add(name)
    found = region.call("iam", "get_role", missing_ok=("NoSuchEntity",), RoleName=name)
    role = (found or {}).get("Role")
    if role is None:
        return
    inline = []
    for policy_name in region.pages("iam", "list_role_policies", "PolicyNames", RoleName=name) or ():
        read = region.call("iam", "get_role_policy", RoleName=name, PolicyName=policy_name)
        if read is not None:
            inline.append((policy_name, _policy_text(read.get("PolicyDocument"))))
    attached = region.pages("iam", "list_attached_role_policies", "AttachedPolicies", RoleName=name) or []
    # As a state holds a role: the ARNs of what is attached; its inline policies are aws_iam_role_policy
    # resources of their own (as Terraform writes them), judged once.
    region.add("aws_iam_role", role["Arn"], name, {
        "id": name, "arn": role["Arn"], "name": name, "path": role.get("Path", "/"),
        "assume_role_policy": _policy_text(role.get("AssumeRolePolicyDocument")),
        "description": role.get("Description", ""),
        "managed_policy_arns": sorted(policy["PolicyArn"] for policy in attached),
        "tags": {t["Key"]: t["Value"] for t in role.get("Tags", ())} or None})
    for policy_name, text in inline:
        region.add("aws_iam_role_policy", f"{role['Arn']}/policy/{policy_name}", f"{name} {policy_name}", {
            "id": f"{name}:{policy_name}", "name": policy_name, "role": name, "policy": text})
    for policy in attached:
        policy_arn = policy["PolicyArn"]
        region.add("aws_iam_role_policy_attachment", f"{role['Arn']}/attached/{policy_arn}",
                   f"{name} {policy.get('PolicyName', '')}", {"id": f"{name}-{policy_arn}", "role": name,
                                                             "policy_arn": policy_arn})
        _managed_policy(region, policy_arn, policy.get("PolicyName", ""))


def _managed_policy(region: _Region, policy_arn: str, name: str) -> None:
    """An attached policy's default version, as a document, once per ARN."""
    if policy_arn in region.policies:
        return
    region.policies.add(policy_arn)
    found = region.call("iam", "get_policy", PolicyArn=policy_arn)
    version = (found or {}).get("Policy", {}).get("DefaultVersionId")
    document = None
    if version:
        read = region.call("iam", "get_policy_version", PolicyArn=policy_arn, VersionId=version)
        if read is not None:
            document = _policy_text(read.get("PolicyVersion", {}).get("Document"))
    if document is not None:
        region.add("aws_iam_policy", policy_arn, name or policy_arn.rsplit("/", 1)[-1], {
            "id": policy_arn, "arn": policy_arn, "name": name or policy_arn.rsplit("/", 1)[-1], "policy": document,
            "path": found.get("Policy", {}).get("Path", "/")})


# ---------------------------------------------------------------------------------- secrets and log groups

def _secrets(region: _Region) -> None:
    """Secrets' metadata only: ListSecrets never returns a value, and GetSecretValue is never called."""
    for secret in region.pages("secretsmanager", "list_secrets", "SecretList") or ():
        region.add("aws_secretsmanager_secret", secret["ARN"], secret.get("Name", ""), {
            "id": secret["ARN"], "arn": secret["ARN"], "name": secret.get("Name", ""),
            "description": secret.get("Description", ""), "kms_key_id": secret.get("KmsKeyId", ""),
            "rotation_enabled": bool(secret.get("RotationEnabled", False)),
            "tags": {t["Key"]: t["Value"] for t in secret.get("Tags", ())} or None})


def _log_groups(region: _Region, wanted: set[str]) -> None:
    """The log groups functions and stages write to (the account's others are not the stack's)."""
    for group in region.pages("logs", "describe_log_groups", "logGroups") or ():
        name = group.get("logGroupName", "")
        if name not in wanted:
            continue
        arn = group.get("arn", "").removesuffix(":*")
        region.add("aws_cloudwatch_log_group", arn, name, {
            "id": name, "arn": arn, "name": name, "retention_in_days": group.get("retentionInDays", 0),
            "kms_key_id": group.get("kmsKeyId", ""), "log_group_class": group.get("logGroupClass", "STANDARD")})


def _log_group_name(arn: str) -> str:
    return arn.removesuffix(":*").split(":log-group:", 1)[-1]


# ------------------------------------------------------------------------------------------------- writing

def recorded_errors(marker: Any) -> list[str]:
    """The calls that failed when the document was read, as a report says them; a marker of another shape (a
    hand-edited snapshot) is an error, never a quiet "nothing failed"."""
    from .plan import PlanError

    errors = marker.get("errors") if isinstance(marker, dict) else None
    if not isinstance(errors, list) or not all(
            isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("call", "region", "account", "reason"))
            for e in errors):
        raise PlanError(f"{MARKER}.errors is not the list of failed calls `gateaudit audit` writes", 1)
    return [str(AuditError(e["call"], e["region"], e["account"], e["reason"])) for e in errors]


def _policy_text(document: Any) -> str | None:
    """A policy document as the JSON text a state holds (IAM returns some URL-encoded, boto3 some parsed)."""
    if document is None or document == "":
        return None
    if isinstance(document, str):
        text = document if document.lstrip().startswith("{") else unquote(document)
        try:
            return json.dumps(json.loads(text), sort_keys=True)
        except ValueError:
            return text
    return json.dumps(document, sort_keys=True)


def _statements(policy: Any) -> Iterator[dict]:
    text = _policy_text(policy)
    if text is None:
        return
    try:
        statements = json.loads(text).get("Statement", ())
    except (ValueError, AttributeError):
        return
    yield from ([statements] if isinstance(statements, dict) else
                (s for s in statements if isinstance(s, dict)))


def document(regions: Iterable[_Region]) -> dict:
    """The state document of what was read: one child module per account and region, so ids that repeat in
    two regions never meet."""
    regions = list(regions)
    children = [{"address": f'module.aws["{r.account or "unknown"}/{r.region}"]',
                 "resources": sorted(r.resources, key=lambda item: (item["type"], item["address"]))}
                for r in sorted(regions, key=lambda r: (r.account, r.region))]
    return {
        "format_version": "1.0",
        MARKER: {"read_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                 "targets": [{"account": r.account, "region": r.region} for r in regions],
                 "errors": [{"call": e.call, "region": e.region, "account": e.account, "reason": e.reason}
                            for r in regions for e in r.errors]},
        "values": {"root_module": {"resources": [], "child_modules": children}},
    }
