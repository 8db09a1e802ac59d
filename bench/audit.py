"""Benchmark: `gateaudit audit` of a moto account with 50 APIs of 20 routes each.

Starts a moto server of its own (`ThreadedMotoServer`, a free port, in this process), builds in it through boto3
half the APIs as REST APIs (one resource and GET method per route, behind a REQUEST authorizer, a stage with
access logs) and half as HTTP APIs (routes behind a REQUEST authorizer, one Lambda integration, the $default
stage with access logs), each API with its authorizer and backend functions (a role with an inline policy, a
log group kept 90 days, permissions scoped to the API). Then runs `gateaudit audit` in this process, as the CLI
runs it (`gateaudit.cli.main`), and prints:
- the time the account took to build, and the audit's wall time;
- the AWS API calls the audit made: as the snapshot writer counts them (`Snapshot.calls`) and as a botocore
  `before-call` hook on the audit's sessions counts them (tests/audit/_calls.py, which the IAM policy test uses);
- the results by status, and the errors;
- the peak RSS of this process (the moto server and the build included) and its RSS before the audit.

The account is completed where moto lacks a call as the audit tests complete it (tests/audit/_moto.py).

Usage: python bench/audit.py [--apis N] [--routes M] [--keep DIR]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def _load(name: str) -> Any:
    """A helper of tests/audit/ (moto's completion, the stack builders, the call recorder)."""
    spec = importlib.util.spec_from_file_location(f"gateaudit_bench_{name}", ROOT / "tests" / "audit" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


moto_helpers = _load("_moto")
REGION, ACCOUNT = moto_helpers.REGION, moto_helpers.ACCOUNT


def _access_logs(session: Any, name: str) -> str:
    logs = session.client("logs")
    group = f"/aws/apigateway/{name}/access"
    logs.create_log_group(logGroupName=group)
    logs.put_retention_policy(logGroupName=group, retentionInDays=90)
    return f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group}"


def _permit(session: Any, function_name: str, source_arn: str) -> None:
    session.client("lambda").add_permission(FunctionName=function_name, StatementId="AllowApiGateway",
                                            Action="lambda:InvokeFunction", Principal="apigateway.amazonaws.com",
                                            SourceArn=source_arn)


def rest_api(session: Any, name: str, routes: int) -> None:
    """A REST API: `routes` resources with a GET method each, all behind one REQUEST authorizer."""
    authorizer_fn = moto_helpers.function(session, f"{name}-authorizer")
    backend_fn = moto_helpers.function(session, f"{name}-backend")
    gateway = session.client("apigateway")
    api = gateway.create_rest_api(name=name)
    root = gateway.get_resources(restApiId=api["id"])["items"][0]["id"]
    authorizer = gateway.create_authorizer(restApiId=api["id"], name="api-key", type="REQUEST",
                                           authorizerUri=moto_helpers.invoke_uri(authorizer_fn["FunctionArn"]),
                                           identitySource="method.request.header.x-api-key")
    for route in range(routes):
        item = gateway.create_resource(restApiId=api["id"], parentId=root, pathPart=f"items{route}")
        gateway.put_method(restApiId=api["id"], resourceId=item["id"], httpMethod="GET",
                           authorizationType="CUSTOM", authorizerId=authorizer["id"])
        gateway.put_integration(restApiId=api["id"], resourceId=item["id"], httpMethod="GET", type="AWS_PROXY",
                                integrationHttpMethod="POST", uri=moto_helpers.invoke_uri(backend_fn["FunctionArn"]))
    execution_arn = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api['id']}"
    _permit(session, f"{name}-authorizer", f"{execution_arn}/authorizers/{authorizer['id']}")
    _permit(session, f"{name}-backend", f"{execution_arn}/*/GET/*")
    destination = _access_logs(session, name)
    deployment = gateway.create_deployment(restApiId=api["id"])
    gateway.create_stage(restApiId=api["id"], stageName="v1", deploymentId=deployment["id"])
    gateway.update_stage(restApiId=api["id"], stageName="v1", patchOperations=[
        {"op": "replace", "path": "/accessLogSettings/destinationArn", "value": destination},
        {"op": "replace", "path": "/accessLogSettings/format", "value": '{"requestId":"$context.requestId"}'},
        {"op": "replace", "path": "/*/*/logging/loglevel", "value": "ERROR"}])


def http_api(session: Any, name: str, routes: int) -> None:
    """An HTTP API: `routes` routes behind one REQUEST authorizer, one Lambda integration, the $default stage."""
    authorizer_fn = moto_helpers.function(session, f"{name}-authorizer")
    backend_fn = moto_helpers.function(session, f"{name}-backend")
    gateway = session.client("apigatewayv2")
    api = gateway.create_api(Name=name, ProtocolType="HTTP")
    integration = gateway.create_integration(ApiId=api["ApiId"], IntegrationType="AWS_PROXY",
                                             IntegrationUri=backend_fn["FunctionArn"], PayloadFormatVersion="2.0")
    authorizer = gateway.create_authorizer(ApiId=api["ApiId"], Name="api-key", AuthorizerType="REQUEST",
                                           AuthorizerUri=moto_helpers.invoke_uri(authorizer_fn["FunctionArn"]),
                                           IdentitySource=["$request.header.x-api-key"],
                                           AuthorizerPayloadFormatVersion="2.0", EnableSimpleResponses=True)
    for route in range(routes):
        gateway.create_route(ApiId=api["ApiId"], RouteKey=f"GET /items{route}", AuthorizationType="CUSTOM",
                             AuthorizerId=authorizer["AuthorizerId"],
                             Target=f"integrations/{integration['IntegrationId']}")
    execution_arn = f"arn:aws:execute-api:{REGION}:{ACCOUNT}:{api['ApiId']}"
    _permit(session, f"{name}-authorizer", f"{execution_arn}/authorizers/{authorizer['AuthorizerId']}")
    _permit(session, f"{name}-backend", f"{execution_arn}/*/*/*")
    gateway.create_stage(ApiId=api["ApiId"], StageName="$default", AutoDeploy=True, AccessLogSettings={
        "DestinationArn": _access_logs(session, name), "Format": '{"requestId":"$context.requestId"}'})


def _rss_mb() -> float:
    """This process's resident memory now (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--apis", type=int, default=50, help="APIs in the account, half REST, half HTTP (default 50)")
    parser.add_argument("--routes", type=int, default=20, help="routes (REST methods) per API (default 20)")
    parser.add_argument("--keep", type=Path, help="write the snapshot and the JSON report into this folder")
    args = parser.parse_args(argv)

    import boto3
    from moto.server import ThreadedMotoServer

    from gateaudit import aws
    from gateaudit.cli import main as gateaudit

    folder = Path(tempfile.mkdtemp(prefix="gateaudit-bench-audit-")) if args.keep is None else args.keep
    folder.mkdir(parents=True, exist_ok=True)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's server logs each request it serves
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    try:
        host, port = server.get_host_and_port()
        # The audit reaches moto as a user reaches LocalStack: through the standard environment only.
        os.environ.update({"AWS_ENDPOINT_URL": f"http://{host}:{port}", "AWS_ACCESS_KEY_ID": "testing",
                           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": REGION, "AWS_DEFAULT_REGION": REGION,
                           "AWS_CONFIG_FILE": str(folder / "no-aws-config"),
                           "AWS_SHARED_CREDENTIALS_FILE": str(folder / "no-aws-credentials")})
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
            os.environ.pop(name, None)
        session = moto_helpers.complete_moto(boto3.Session(region_name=REGION))
        start = time.perf_counter()
        rest = (args.apis + 1) // 2
        for number in range(args.apis):
            build = rest_api if number < rest else http_api
            build(session, f"{'rest' if number < rest else 'http'}{number:03d}", args.routes)
        built = time.perf_counter() - start
        print(f"account: {args.apis} APIs ({rest} REST, {args.apis - rest} HTTP) x {args.routes} routes, "
              f"{2 * args.apis} functions: built in {built:.2f} s")

        import pytest

        snapshots: list[Any] = []
        read = aws.read

        def counted(*arguments: Any, **options: Any) -> Any:
            snapshots.append(read(*arguments, **options))
            return snapshots[-1]

        with pytest.MonkeyPatch.context() as patch:
            original = aws.session_for
            patch.setattr(aws, "session_for", lambda profile: moto_helpers.complete_moto(original(profile)))
            calls = _load("_calls").record(patch)
            patch.setattr(aws, "read", counted)
            report_file, snapshot_file = folder / "report.json", folder / "gateaudit-account.json"
            before = _rss_mb()
            start = time.perf_counter()
            code = gateaudit(["audit", "--snapshot", str(snapshot_file), "--format", "json",
                              "--output", str(report_file)])
            wall = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    finally:
        server.stop()
    report = json.loads(report_file.read_text())
    summary = report["summary"]
    print(f"audit: {wall:.2f} s wall, exit {code}")
    print(f"AWS API calls: {snapshots[0].calls} (snapshot), {len(calls)} (before-call hook)")
    print("results: " + ", ".join(f"{summary.get(status, 0)} {status}"
                                  for status in ("passed", "failed", "unknown", "suppressed"))
          + f"; {len(report['errors'])} errors")
    print(f"peak RSS: {peak:.0f} MB (this process: the moto server and the build included; {before:.0f} MB before "
          f"the audit)")
    if args.keep is None:
        shutil.rmtree(folder, ignore_errors=True)
    return 0 if code in (0, 1) and not report["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())
