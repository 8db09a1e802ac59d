"""`terraform apply` of each root of the reference stack against a moto server, checked with boto3, then destroyed.

For each root (rest/, http/): copy stack/terraform to a temporary folder, build the function zips into its
stack/build/, add a provider override pointing every endpoint at moto, `terraform init` + `apply`; read back
with boto3 what apply created (API, methods or routes, authorizer, permissions, stage, log groups, the secret);
run the authorizer's deployed entry point (the Handler the function is configured with, imported from the zip
apply uploaded) against the secret apply created, with the function's deployed environment;
issue a new key through `api_key_version` and check both keys work; `terraform destroy`.

Each root is applied in a moto account of its own (an IAM user created there, whose access key Terraform
uses), so nothing it creates meets the other tests' resources, and that account's IAM knows the AWS managed
policies (moto leaves them out unless MOTO_IAM_LOAD_MANAGED_POLICIES is set when the account is first used):
the REST root attaches AmazonAPIGatewayPushToCloudWatchLogs. The Terraform itself is applied as written: the
override file sets only the provider's endpoints, credentials and skip_* flags. The REST root is applied with
its defaults, the HTTP root with a KMS key for the secret and the log groups, so both forms of the
authorizer's policy (with and without kms:Decrypt) are deployed.

Known moto gaps, worked around here rather than in the Terraform: moto has no apigatewayv2 GetAuthorizers
(the authorizer is read by the id in the state); it returns no Lambda LoggingConfig, and empty lists and maps
for REST methods and integrations, so a second `terraform plan` is not empty against moto and is not tested.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import importlib.util
import json
import subprocess
import sys
import zipfile
import zipimport
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
STACK_DIR = REPO_ROOT / "stack"
EVENTS_DIR = REPO_ROOT / "tests" / "authorizer" / "events"

REGION = "us-east-1"
INIT_TIMEOUT_SECONDS = 300
APPLY_TIMEOUT_SECONDS = 600
DESTROY_TIMEOUT_SECONDS = 600
SHOW_TIMEOUT_SECONDS = 120
PACKAGE_TIMEOUT_SECONDS = 120

LOG_RETENTION_DAYS = 90  # the roots' default, applied as is
AUTHORIZER_TTL_SECONDS = 300  # likewise
GATEWAY_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"

# Every service the roots call. kms and xray are listed although apply calls neither (a key ARN is passed to
# Secrets Manager and CloudWatch Logs; tracing is a function setting), so no future resource reaches real AWS.
ENDPOINTS = ("apigateway", "apigatewayv2", "cloudwatch", "cloudwatchlogs", "iam", "kms", "lambda",
             "secretsmanager", "sts", "xray")


@dataclass(frozen=True)
class Root:
    name: str  # folder under stack/terraform
    account_id: str  # moto account it is applied in
    resource_name: str  # the root's default var.name
    response_format: str  # what its authorizer answers: "rest" (IAM policy) or "http" (simple response)
    entry_point: str  # the authorizer function's Handler: the entry point that answers only that shape
    event_file: str
    customer_managed_keys: bool  # applied with a KMS key for the secret and the log groups, or with the defaults


# One root with the defaults, the other with customer managed keys: both branches of the module's policy.
ROOTS = [
    pytest.param(Root("rest", "210000000001", "gateaudit-rest", "rest", "handler.rest_handler",
                      "rest_request_authorizer.json", False),
                 id="rest"),
    pytest.param(Root("http", "210000000002", "gateaudit-http", "http", "handler.http_handler",
                      "http_v2_authorizer.json", True),
                 id="http-with-kms-keys"),
]


# --------------------------------------------------------------------------------------------------------------
# Building the zips, the override file, a moto account
# --------------------------------------------------------------------------------------------------------------

def build_packages(build_dir: Path) -> None:
    """Build the function zips into build_dir with stack/package.py (what `make package` runs); if it is not
    there yet, zip each function's handler.py directly."""
    package_script = STACK_DIR / "package.py"
    if package_script.is_file() and "--output-dir" in package_script.read_text(encoding="utf-8"):
        try:
            done = subprocess.run([sys.executable, str(package_script), "--output-dir", str(build_dir)],
                                  capture_output=True, text=True, timeout=PACKAGE_TIMEOUT_SECONDS, check=False)
        except subprocess.TimeoutExpired:
            pytest.fail(f"stack/package.py did not finish within {PACKAGE_TIMEOUT_SECONDS} s")
        assert done.returncode == 0, f"stack/package.py failed:\n{done.stdout}\n{done.stderr}"
    else:
        build_dir.mkdir(parents=True, exist_ok=True)
        for function in ("authorizer", "backend"):
            with zipfile.ZipFile(build_dir / f"{function}.zip", "w", zipfile.ZIP_DEFLATED) as archive:
                archive.write(STACK_DIR / function / "handler.py", "handler.py")
    for function in ("authorizer", "backend"):
        with zipfile.ZipFile(build_dir / f"{function}.zip") as archive:
            assert "handler.py" in archive.namelist(), f"{function}.zip has no handler.py at its root"


def provider_override(endpoint: str, access_key: str, secret_key: str) -> str:
    """An override file for the root's provider "aws": moto's endpoint for every service, moto's credentials."""
    endpoints = "\n".join(f"    {service:<14} = {json.dumps(endpoint)}" for service in ENDPOINTS)
    return (
        "# Written by tests/stack/test_apply_moto.py: the root's provider, pointed at a local moto server.\n"
        'provider "aws" {\n'
        f"  access_key                  = {json.dumps(access_key)}\n"
        f"  secret_key                  = {json.dumps(secret_key)}\n"
        "  skip_credentials_validation = true\n"
        "  skip_metadata_api_check     = true\n"
        "  skip_region_validation      = true\n"
        "\n"
        "  endpoints {\n"
        f"{endpoints}\n"
        "  }\n"
        "}\n"
    )


@dataclass(frozen=True)
class MotoAccount:
    endpoint: str
    account_id: str
    access_key: str
    secret_key: str

    def client(self, service: str) -> Any:
        return boto3.client(service, endpoint_url=self.endpoint, region_name=REGION,
                            aws_access_key_id=self.access_key, aws_secret_access_key=self.secret_key)


def open_account(endpoint: str, account_id: str, monkeypatch: pytest.MonkeyPatch) -> MotoAccount:
    """Create an IAM user with an access key in a fresh moto account; moto maps that key to the account.

    The server runs in this process (moto's ThreadedMotoServer), so the environment variable that makes moto
    load the AWS managed policies takes effect when the request below first touches the account.
    """
    monkeypatch.setenv("MOTO_IAM_LOAD_MANAGED_POLICIES", "true")
    iam = boto3.client("iam", endpoint_url=endpoint, region_name=REGION,
                       aws_access_key_id="testing", aws_secret_access_key="testing")

    def to_account(request: Any, **_: Any) -> None:
        request.headers["x-moto-account-id"] = account_id

    iam.meta.events.register("before-sign.iam.*", to_account)
    iam.create_user(UserName="terraform")
    key = iam.create_access_key(UserName="terraform")["AccessKey"]
    account = MotoAccount(endpoint, account_id, key["AccessKeyId"], key["SecretAccessKey"])
    caller = account.client("sts").get_caller_identity()
    assert caller["Account"] == account_id, "moto did not map the new access key to its account"
    managed = account.client("iam").list_policies(Scope="AWS", PathPrefix="/service-role/", MaxItems=1000)
    if GATEWAY_POLICY not in {policy["Arn"] for policy in managed["Policies"]}:
        pytest.fail(f"moto account {account_id} has no {GATEWAY_POLICY}: the moto server must run in this "
                    "process (ThreadedMotoServer) for MOTO_IAM_LOAD_MANAGED_POLICIES to reach it")
    return account


# --------------------------------------------------------------------------------------------------------------
# Terraform state and outputs
# --------------------------------------------------------------------------------------------------------------

def state_resources(state: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """address -> values of every managed resource in `terraform show -json` output, child modules included."""
    found: dict[str, dict[str, Any]] = {}

    def walk(module: dict[str, Any]) -> None:
        for resource in module.get("resources", []):
            if resource.get("mode") == "managed":
                found[resource["address"]] = resource["values"]
        for child in module.get("child_modules", []):
            walk(child)

    walk(state.get("values", {}).get("root_module", {}))
    return found


def json_of(done: subprocess.CompletedProcess[str], what: str) -> Any:
    assert done.returncode == 0, f"{what} failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"
    return json.loads(done.stdout)


# --------------------------------------------------------------------------------------------------------------
# The handler, run in this process against the secret apply created
# --------------------------------------------------------------------------------------------------------------

def load_entry_point(package: Path, handler: str) -> Callable[[Any, Any], Any]:
    """The function a Lambda Handler ("module.function") names, imported from the deployment zip as the runtime
    imports it (the zip's root on the path): a fresh execution environment."""
    module_name, _, function_name = handler.rpartition(".")
    spec = zipimport.zipimporter(str(package)).find_spec(module_name)
    assert spec is not None, f"{package.name} holds no module {module_name} (Handler {handler})"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    entry_point = getattr(module, function_name, None)
    assert callable(entry_point), f"{package.name}!/{module_name}.py has no function {function_name}"
    return entry_point


def minimal_event(response_format: str) -> dict[str, Any]:
    if response_format == "rest":
        return {"type": "REQUEST", "methodArn": "arn:aws:execute-api:us-east-1:123456789012:api/v1/GET/items",
                "headers": {"x-api-key": ""}, "multiValueHeaders": {"x-api-key": [""]},
                "requestContext": {"requestId": "test-request"}}
    return {"version": "2.0", "type": "REQUEST", "routeKey": "GET /items", "identitySource": [""],
            "routeArn": "arn:aws:execute-api:us-east-1:123456789012:api/$default/GET/items",
            "headers": {"x-api-key": ""}, "requestContext": {"requestId": "test-request"}}


def event_template(root: Root) -> dict[str, Any]:
    """The API Gateway event fixture the authorizer's own tests use, or a minimal event of the same shape."""
    path = EVENTS_DIR / root.event_file
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else minimal_event(root.response_format)


def event_with_key(template: dict[str, Any], key: str, arn: str) -> dict[str, Any]:
    """The event sent for a call to `arn` carrying `x-api-key: key` (the header's case as in the template)."""
    event = copy.deepcopy(template)
    for field in ("headers", "multiValueHeaders"):
        headers = event.get(field)
        if isinstance(headers, dict):
            names = [name for name in headers if name.lower() == "x-api-key"] or ["x-api-key"]
            for name in names:
                headers[name] = [key] if field == "multiValueHeaders" else key
    if "identitySource" in event:
        event["identitySource"] = [key]
    event["methodArn" if "methodArn" in event else "routeArn"] = arn
    return event


def allowed(response: dict[str, Any], response_format: str) -> bool:
    """The decision in an authorizer answer, after checking the answer has the shape its API expects."""
    if response_format == "http":
        assert set(response) == {"isAuthorized"}, f"not a simple response: {sorted(response)}"
        return response["isAuthorized"] is True
    assert isinstance(response.get("principalId"), str) and response["principalId"], "no principalId"
    statements = response["policyDocument"]["Statement"]
    assert all(s["Action"] == "execute-api:Invoke" for s in statements)
    return all(s["Effect"] == "Allow" for s in statements)


@pytest.fixture
def run_handler(monkeypatch: pytest.MonkeyPatch) -> Callable[[MotoAccount, dict[str, str], Path, str], Any]:
    """Load the deployed entry point as a fresh execution environment with the deployed function's environment,
    reaching Secrets Manager in the account at moto (AWS_ENDPOINT_URL_SECRETS_MANAGER is boto3's setting for it)."""

    def start(account: MotoAccount, function_environment: dict[str, str], package: Path, handler: str) -> Any:
        for name, value in function_environment.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", account.endpoint)
        monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", account.access_key)
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", account.secret_key)
        monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
        monkeypatch.delenv("AWS_PROFILE", raising=False)
        monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
        # boto3's default session keeps the credentials it first resolved: start from none, as Lambda does.
        monkeypatch.setattr(boto3, "DEFAULT_SESSION", None)
        return load_entry_point(package, handler)

    return start


# --------------------------------------------------------------------------------------------------------------
# What apply created, read back with boto3
# --------------------------------------------------------------------------------------------------------------

def permission_source_arns(account: MotoAccount, function_name: str) -> dict[str, str]:
    """statement id -> AWS:SourceArn of the function's resource policy."""
    policy = json.loads(account.client("lambda").get_policy(FunctionName=function_name)["Policy"])
    found = {}
    for statement in policy["Statement"]:
        assert statement["Principal"] == {"Service": "apigateway.amazonaws.com"}
        assert statement["Action"] == "lambda:InvokeFunction"
        found[statement["Sid"]] = statement["Condition"]["ArnLike"]["AWS:SourceArn"]
    return found


def assert_access_log_format(text: str) -> dict[str, str]:
    """The stage's access log format: a JSON object of $context variables, without the key or any header."""
    fields = json.loads(text)
    assert fields and all(isinstance(value, str) and value.startswith("$context.") for value in fields.values())
    leaks = [value for value in fields.values()
             if value == "$context.identity.apiKey" or "header" in value.lower() or "x-api-key" in value.lower()]
    assert leaks == [], f"the access log format writes {leaks}"
    return fields


def check_rest(account: MotoAccount, root: Root, resources: dict[str, dict[str, Any]]) -> str:
    """Check the REST API as written; return the ARN of a call to GET /items."""
    apigateway = account.client("apigateway")
    api_id = resources["aws_api_gateway_rest_api.api"]["id"]
    authorizer_id = resources["aws_api_gateway_authorizer.api_key"]["id"]
    execution_arn = f"arn:aws:execute-api:{REGION}:{account.account_id}:{api_id}"
    assert apigateway.get_rest_api(restApiId=api_id)["name"] == root.resource_name

    authorizer = apigateway.get_authorizer(restApiId=api_id, authorizerId=authorizer_id)
    assert authorizer["type"] == "REQUEST"
    assert authorizer["identitySource"] == "method.request.header.x-api-key"
    assert authorizer["authorizerResultTtlInSeconds"] == AUTHORIZER_TTL_SECONDS
    authorizer_arn = resources["module.authorizer.aws_lambda_function.this"]["arn"]
    assert authorizer["authorizerUri"].endswith(f"/functions/{authorizer_arn}/invocations")

    items = [r for r in apigateway.get_resources(restApiId=api_id)["items"] if r["path"] == "/items"]
    assert len(items) == 1
    backend_arn = resources["module.backend.aws_lambda_function.this"]["arn"]
    methods = {}
    for resource in apigateway.get_resources(restApiId=api_id)["items"]:
        for verb in resource.get("resourceMethods", {}):
            methods[(resource["path"], verb)] = apigateway.get_method(restApiId=api_id, resourceId=resource["id"],
                                                                      httpMethod=verb)
    assert set(methods) == {("/items", "GET"), ("/items", "POST")}, "every method of the API, and no other"
    for (_, verb), method in methods.items():
        assert method["authorizationType"] == "CUSTOM" and method["authorizerId"] == authorizer_id, verb
        integration = apigateway.get_integration(restApiId=api_id, resourceId=items[0]["id"], httpMethod=verb)
        assert integration["type"] == "AWS_PROXY" and integration["httpMethod"] == "POST"
        assert integration["uri"].endswith(f"/functions/{backend_arn}/invocations")

    stage = apigateway.get_stage(restApiId=api_id, stageName="v1")
    assert stage["tracingEnabled"] is True
    access_group = resources["aws_cloudwatch_log_group.access"]
    assert stage["accessLogSettings"]["destinationArn"] in (access_group["arn"], f"{access_group['arn']}:*")
    fields = assert_access_log_format(stage["accessLogSettings"]["format"])
    assert fields["requestId"] == "$context.requestId"
    settings = stage.get("methodSettings", {}).get("*/*")
    assert settings is not None, "the stage has no */* method settings"
    assert settings["loggingLevel"] in ("ERROR", "INFO") and settings["dataTraceEnabled"] is False
    assert settings["metricsEnabled"] is True
    assert settings["throttlingRateLimit"] == 50 and settings["throttlingBurstLimit"] == 100

    role = resources["aws_iam_role.apigateway_cloudwatch[0]"]
    assert apigateway.get_account()["cloudwatchRoleArn"] == role["arn"]
    attached = account.client("iam").list_attached_role_policies(RoleName=role["name"])["AttachedPolicies"]
    assert [policy["PolicyArn"] for policy in attached] == [GATEWAY_POLICY]

    assert permission_source_arns(account, f"{root.resource_name}-authorizer") == {
        "AllowApiGatewayAuthorizer": f"{execution_arn}/authorizers/{authorizer_id}"}
    assert permission_source_arns(account, f"{root.resource_name}-backend") == {
        "AllowApiGatewayItems": f"{execution_arn}/*/*/items"}
    return f"{execution_arn}/v1/GET/items"


def check_http(account: MotoAccount, root: Root, resources: dict[str, dict[str, Any]]) -> str:
    """Check the HTTP API as written; return the ARN of a call to GET /items."""
    apigatewayv2 = account.client("apigatewayv2")
    api_id = resources["aws_apigatewayv2_api.api"]["id"]
    authorizer_id = resources["aws_apigatewayv2_authorizer.api_key"]["id"]
    execution_arn = f"arn:aws:execute-api:{REGION}:{account.account_id}:{api_id}"
    api = apigatewayv2.get_api(ApiId=api_id)
    assert api["ProtocolType"] == "HTTP" and api["Name"] == root.resource_name

    # moto has no GetAuthorizers: read the one authorizer by the id Terraform recorded.
    authorizer = apigatewayv2.get_authorizer(ApiId=api_id, AuthorizerId=authorizer_id)
    assert authorizer["AuthorizerType"] == "REQUEST"
    assert authorizer["IdentitySource"] == ["$request.header.x-api-key"]
    assert authorizer["AuthorizerPayloadFormatVersion"] == "2.0"
    assert authorizer["EnableSimpleResponses"] is True
    assert authorizer["AuthorizerResultTtlInSeconds"] == AUTHORIZER_TTL_SECONDS
    authorizer_arn = resources["module.authorizer.aws_lambda_function.this"]["arn"]
    assert authorizer["AuthorizerUri"].endswith(f"/functions/{authorizer_arn}/invocations")

    integrations = apigatewayv2.get_integrations(ApiId=api_id)["Items"]
    assert len(integrations) == 1
    integration = integrations[0]
    backend_arn = resources["module.backend.aws_lambda_function.this"]["arn"]
    assert integration["IntegrationType"] == "AWS_PROXY" and integration["PayloadFormatVersion"] == "2.0"
    assert integration["IntegrationUri"].endswith(f"/functions/{backend_arn}/invocations")

    routes = {route["RouteKey"]: route for route in apigatewayv2.get_routes(ApiId=api_id)["Items"]}
    assert set(routes) == {"GET /items", "POST /items"}, "every route of the API (no quick-create $default)"
    for key, route in routes.items():
        assert route["AuthorizationType"] == "CUSTOM" and route["AuthorizerId"] == authorizer_id, key
        assert route["Target"] == f"integrations/{integration['IntegrationId']}", key

    stage = apigatewayv2.get_stage(ApiId=api_id, StageName="$default")
    assert stage["AutoDeploy"] is True
    access_group = resources["aws_cloudwatch_log_group.access"]
    assert stage["AccessLogSettings"]["DestinationArn"] in (access_group["arn"], f"{access_group['arn']}:*")
    fields = assert_access_log_format(stage["AccessLogSettings"]["Format"])
    assert fields["routeKey"] == "$context.routeKey"
    route_settings = stage["DefaultRouteSettings"]
    assert route_settings["DetailedMetricsEnabled"] is True
    assert route_settings["ThrottlingRateLimit"] == 50 and route_settings["ThrottlingBurstLimit"] == 100

    assert permission_source_arns(account, f"{root.resource_name}-authorizer") == {
        "AllowApiGatewayAuthorizer": f"{execution_arn}/authorizers/{authorizer_id}"}
    assert permission_source_arns(account, f"{root.resource_name}-backend") == {
        "AllowApiGatewayItems": f"{execution_arn}/*/*/items"}
    return f"{execution_arn}/$default/GET/items"


def check_functions_and_logs(account: MotoAccount, root: Root, resources: dict[str, dict[str, Any]],
                             secret_arn: str, kms_key_arn: str | None) -> dict[str, Any]:
    """Check both functions, their roles and every log group; return the authorizer's deployed configuration."""
    lambda_client = account.client("lambda")
    configurations = {}
    for function in ("authorizer", "backend"):
        config = lambda_client.get_function_configuration(FunctionName=f"{root.resource_name}-{function}")
        assert config["Runtime"] in ("python3.12", "python3.13")
        assert config["Handler"] == (root.entry_point if function == "authorizer" else "handler.handler")
        assert config["TracingConfig"] == {"Mode": "Active"}
        assert config["Role"] == resources[f"module.{function}.aws_iam_role.this"]["arn"]
        configurations[function] = config
    environment = configurations["authorizer"]["Environment"]["Variables"]

    assert environment["API_KEY_SECRET_ARN"] == secret_arn
    assert environment["RESPONSE_FORMAT"] == root.response_format
    assert set(environment) == {"API_KEY_SECRET_ARN", "SECRET_CACHE_TTL_SECONDS",
                                "SECRET_REFRESH_MIN_INTERVAL_SECONDS", "RESPONSE_FORMAT"}

    # The authorizer's role: its one secret, its own log group, X-Ray; nothing else.
    iam = account.client("iam")
    role_name = f"{root.resource_name}-authorizer"
    assert iam.list_role_policies(RoleName=role_name)["PolicyNames"] == ["least-privilege"]
    assert iam.list_attached_role_policies(RoleName=role_name)["AttachedPolicies"] == []
    document = iam.get_role_policy(RoleName=role_name, PolicyName="least-privilege")["PolicyDocument"]
    document = json.loads(document) if isinstance(document, str) else document
    statements = {statement["Sid"]: statement for statement in document["Statement"]}
    if kms_key_arn is None:
        assert set(statements) == {"ReadApiKey", "WriteOwnLogs", "WriteTraces"}, "no kms:Decrypt without a CMK"
    else:
        assert set(statements) == {"ReadApiKey", "DecryptApiKey", "WriteOwnLogs", "WriteTraces"}
        decrypt = statements["DecryptApiKey"]
        assert decrypt["Action"] == "kms:Decrypt" and decrypt["Resource"] == kms_key_arn
        assert decrypt["Condition"] == {"StringEquals": {"kms:ViaService": f"secretsmanager.{REGION}.amazonaws.com"}}
        described = account.client("secretsmanager").describe_secret(SecretId=secret_arn)
        assert described["KmsKeyId"] == kms_key_arn
    assert statements["ReadApiKey"]["Resource"] == secret_arn
    assert statements["ReadApiKey"]["Action"] == "secretsmanager:GetSecretValue"
    authorizer_group = resources["module.authorizer.aws_cloudwatch_log_group.this"]["arn"]
    assert statements["WriteOwnLogs"]["Resource"] == f"{authorizer_group}:*"

    expected_groups = {f"/aws/lambda/{root.resource_name}-authorizer", f"/aws/lambda/{root.resource_name}-backend",
                       resources["aws_cloudwatch_log_group.access"]["name"]}
    if root.name == "rest":
        expected_groups.add(resources["aws_cloudwatch_log_group.execution"]["name"])
    groups = {group["logGroupName"]: group for group in account.client("logs").describe_log_groups()["logGroups"]}
    assert set(groups) == expected_groups
    for name, group in groups.items():
        assert group.get("retentionInDays") == LOG_RETENTION_DAYS, name
        assert group.get("kmsKeyId") == kms_key_arn, name
    return configurations["authorizer"]


# --------------------------------------------------------------------------------------------------------------
# The test
# --------------------------------------------------------------------------------------------------------------

@dataclass
class Deployment:
    """A root copied, packaged, pointed at moto and initialised, with the variables every command gets."""

    root: Root
    workdir: Path
    account: MotoAccount
    terraform: Any
    variables: dict[str, str]
    kms_key_arn: str | None

    def run(self, command: str, timeout: int, **more_variables: str) -> subprocess.CompletedProcess[str]:
        variables = {**self.variables, **more_variables}
        args = [command, "-auto-approve", "-input=false", "-no-color",
                *(f"-var={name}={value}" for name, value in variables.items())]
        return self.terraform.run(args, self.workdir, timeout)

    def apply(self, **more_variables: str) -> None:
        done = self.run("apply", APPLY_TIMEOUT_SECONDS, **more_variables)
        assert done.returncode == 0, f"terraform apply failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"

    def read(self, *args: str) -> Any:
        done = self.terraform.run([*args, "-json"], self.workdir, SHOW_TIMEOUT_SECONDS)
        assert done.returncode == 0, f"terraform {args[0]} failed (exit {done.returncode}):\n{done.stderr}"
        return json.loads(done.stdout)


@pytest.fixture
def deployment(request: pytest.FixtureRequest, terraform, copy_stack, moto_endpoint: str,
               tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Deployment]:
    """The root ready to apply; destroyed afterwards (whether the test passed or not) and checked gone."""
    root: Root = request.param
    stack = copy_stack(tmp_path, "terraform")
    build_packages(stack / "build")
    account = open_account(moto_endpoint, root.account_id, monkeypatch)
    workdir = stack / "terraform" / root.name
    (workdir / "moto_override.tf").write_text(
        provider_override(moto_endpoint, account.access_key, account.secret_key), encoding="utf-8")

    variables = {"region": REGION}
    kms_key_arn = None
    if root.customer_managed_keys:
        kms_key_arn = account.client("kms").create_key(Description=f"{root.name} stack")["KeyMetadata"]["Arn"]
        variables.update(secret_kms_key_arn=kms_key_arn, log_kms_key_arn=kms_key_arn)

    init = terraform.run(["init", "-input=false", "-no-color"], workdir, INIT_TIMEOUT_SECONDS)
    assert init.returncode == 0, f"terraform init failed (exit {init.returncode}):\n{init.stdout}\n{init.stderr}"
    deployed = Deployment(root, workdir, account, terraform, variables, kms_key_arn)
    yield deployed

    # A failed destroy is reported as an error of its own, beside the test's result.
    destroy = deployed.run("destroy", DESTROY_TIMEOUT_SECONDS)
    assert destroy.returncode == 0, (
        f"terraform destroy failed (exit {destroy.returncode}):\n{destroy.stdout}\n{destroy.stderr}")
    assert account.client("lambda").list_functions()["Functions"] == []
    assert account.client("logs").describe_log_groups()["logGroups"] == []
    assert account.client("iam").list_roles()["Roles"] == []
    secrets = account.client("secretsmanager").list_secrets(IncludePlannedDeletion=True)["SecretList"]
    assert all(secret.get("DeletedDate") for secret in secrets), "the secret is scheduled for deletion"


@pytest.mark.parametrize("deployment", ROOTS, indirect=True)
def test_root_applies_to_moto_and_works(deployment: Deployment, run_handler, monkeypatch: pytest.MonkeyPatch) -> None:
    root, account = deployment.root, deployment.account
    deployment.apply()
    outputs = deployment.read("output")
    resources = state_resources(deployment.read("show"))

    # The outputs name the secret (never its value) and the URL clients call.
    secret_arn = outputs["api_key_secret_arn"]["value"]
    assert secret_arn == resources["module.authorizer.aws_secretsmanager_secret.api_key"]["arn"]
    assert outputs["invoke_url"]["value"].startswith("https://")
    assert outputs["items_url"]["value"].endswith("/items")

    # The API as written.
    call_arn = (check_rest if root.name == "rest" else check_http)(account, root, resources)
    authorizer = check_functions_and_logs(account, root, resources, secret_arn, deployment.kms_key_arn)
    environment = authorizer["Environment"]["Variables"]

    # The key apply generated: in Secrets Manager, in neither the state nor the outputs.
    secrets = account.client("secretsmanager")
    first_key = secrets.get_secret_value(SecretId=secret_arn)["SecretString"]
    assert len(first_key) == 40 and first_key.isalnum()
    state_file = deployment.workdir / "terraform.tfstate"
    assert first_key not in state_file.read_text(encoding="utf-8") and first_key not in json.dumps(outputs)

    # The entry point the function is configured with, from the zip apply uploaded, with the function's deployed
    # environment, against that secret: allow the key, deny others.
    package = deployment.workdir.parents[1] / "build" / "authorizer.zip"
    assert authorizer["CodeSha256"] == base64.b64encode(hashlib.sha256(package.read_bytes()).digest()).decode()
    template = event_template(root)
    entry_point = run_handler(account, environment, package, authorizer["Handler"])

    def decide(key: str) -> bool:
        return allowed(entry_point(event_with_key(template, key, call_arn), None), root.response_format)

    assert decide(first_key) is True
    assert decide(first_key[:-1] + ("A" if first_key[-1] != "A" else "B")) is False
    assert decide("not-the-key") is False

    # A new key through api_key_version: it becomes AWSCURRENT and the first one stays valid as AWSPREVIOUS.
    deployment.apply(api_key_version="2")
    second_key = secrets.get_secret_value(SecretId=secret_arn)["SecretString"]
    previous = secrets.get_secret_value(SecretId=secret_arn, VersionStage="AWSPREVIOUS")["SecretString"]
    assert second_key != first_key and previous == first_key
    state_text = state_file.read_text(encoding="utf-8")
    assert first_key not in state_text and second_key not in state_text

    # The warm handler cached the first key alone (there was no AWSPREVIOUS yet). The new key matches nothing
    # there, so it re-reads the secret; the minimum interval between such re-reads is set to 0 here so that
    # the test need not wait out the deployed 30 s.
    assert environment["SECRET_REFRESH_MIN_INTERVAL_SECONDS"] == "30"
    monkeypatch.setenv("SECRET_REFRESH_MIN_INTERVAL_SECONDS", "0")
    assert decide(second_key) is True
    assert decide(first_key) is True  # AWSPREVIOUS: clients still on the first key keep working
    assert decide("not-the-key") is False
