"""Regenerate the Terraform plan and state JSON fixtures in tests/plans/ with a real terraform binary.

    .venv/bin/python scripts/make_plans.py [--only NAME] [--output-dir DIR]

For each fixture: copy its configuration into a temporary folder (so no `.terraform`, lock file or state is
ever left in the repository), start moto in this process, point the AWS provider at it with an override
file and mock credentials, `terraform init` from the offline provider mirror, `plan` (and `apply` where a
state is needed), `terraform show -json`, and write the JSON, made stable: the same sources give the same
bytes (see STABLE below). Needs terraform, the offline hashicorp/aws mirror (tests/stack/conftest.py says
where it is looked for) and, for registry_module, git; exits 2 naming what is missing.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import urllib.parse
import urllib.request
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
STACK_DIR = REPO_ROOT / "stack"
PLANS_DIR = REPO_ROOT / "tests" / "plans"

REGION = "eu-west-1"
INIT_TIMEOUT_SECONDS = 300
PLAN_TIMEOUT_SECONDS = 300
APPLY_TIMEOUT_SECONDS = 600
SHOW_TIMEOUT_SECONDS = 120

# STABLE: what varies from run to run is replaced by a fixed stand-in, named in tests/plans/README.md.
FIXED_TIMESTAMP = "2026-01-01T00:00:00Z"
WORKDIR_PLACEHOLDER = "/tmp/WORKDIR"  # the temporary copy's folder, wherever an absolute path names it
MOTO_PLACEHOLDER = "http://127.0.0.1:5000"  # the moto server's endpoint (its port is picked free each run)
MODULE_REPO_PLACEHOLDER = "MODULE_REPO"  # registry_module's git repository (written so in its main.tf)
MODULE_TAG = "v1.0.0"
# Times that moto and the provider stamp on what apply created (created_date, last_modified...).
APPLY_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?")
# Names terraform makes unique (name_prefix, version ids): the time to the 1/10000 s, then a counter (kept).
UNIQUE_ID_TIME = re.compile(r"(?<!\d)20\d{16}(?=\d{8}(?!\d))")
FIXED_UNIQUE_ID_TIME = "202601010000000000"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Failed(Exception):
    """A step of a fixture failed; the message says which command and what it printed."""


def _load(name: str, path: Path) -> ModuleType:
    """Import a test helper module by path (tests/ is not a package)."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(sys.modules[name])
    return sys.modules[name]


# The offline terraform helpers (mirror, CLI config, what a copy leaves out) and the moto apply test's
# (provider override, the services it points at moto, the function zips) are reused, not rewritten.
offline = _load("gateaudit_tests_stack_conftest", REPO_ROOT / "tests" / "stack" / "conftest.py")
apply_moto = _load("gateaudit_tests_stack_apply_moto", REPO_ROOT / "tests" / "stack" / "test_apply_moto.py")


@dataclass(frozen=True)
class Terraform:
    """terraform with an offline environment, run in one working folder."""

    binary: str
    env: dict[str, str]

    def run(self, cwd: Path, *args: str, timeout: int, variables: dict[str, str] | None = None) -> str:
        command = [self.binary, *args, *(f"-var={name}={value}" for name, value in (variables or {}).items())]
        try:
            done = subprocess.run(command, cwd=cwd, env=self.env, capture_output=True, text=True, timeout=timeout,
                                  check=False)
        except subprocess.TimeoutExpired as error:
            raise Failed(f"terraform {args[0]} did not finish within {timeout} s (in {cwd})") from error
        if done.returncode != 0:
            raise Failed(f"terraform {args[0]} failed (exit {done.returncode}) in {cwd}:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def init(self, cwd: Path) -> None:
        self.run(cwd, "init", "-backend=false", "-input=false", "-no-color", timeout=INIT_TIMEOUT_SECONDS)

    def plan(self, cwd: Path, variables: dict[str, str] | None = None) -> dict[str, Any]:
        # -refresh=false: the plan compares the configuration with the state as written, not with what moto
        # reads back (moto returns empty lists where AWS returns none, which would show as changes).
        self.run(cwd, "plan", "-refresh=false", "-input=false", "-no-color", "-lock=false", "-out=plan.out",
                 timeout=PLAN_TIMEOUT_SECONDS, variables=variables)
        return json.loads(self.run(cwd, "show", "-json", "-no-color", "plan.out", timeout=SHOW_TIMEOUT_SECONDS))

    def apply(self, cwd: Path, variables: dict[str, str] | None = None) -> dict[str, Any]:
        # One operation at a time, so moto's seeded ids go to the same resources on every run.
        self.run(cwd, "apply", "-auto-approve", "-refresh=false", "-input=false", "-no-color", "-lock=false",
                 "-parallelism=1", timeout=APPLY_TIMEOUT_SECONDS, variables=variables)
        return json.loads(self.run(cwd, "show", "-json", "-no-color", timeout=SHOW_TIMEOUT_SECONDS))


@dataclass(frozen=True)
class Workspace:
    """What a fixture's steps need: a temporary folder, terraform, the moto endpoint, git."""

    tmp: Path
    terraform: Terraform
    moto: str
    git: str | None

    def copy(self, source: Path, name: str) -> Path:
        destination = self.tmp / name
        shutil.copytree(source, destination, ignore=offline.COPY_IGNORE)
        return destination

    def point_at_moto(self, root: Path) -> None:
        (root / "moto_override.tf").write_text(apply_moto.provider_override(self.moto, "mock", "mock"),
                                               encoding="utf-8")


Outputs = dict[str, dict[str, Any]]  # file name -> the JSON terraform printed


def reference_root(work: Workspace, name: str, with_state: bool) -> Outputs:
    stack = work.tmp / "stack"
    shutil.copytree(STACK_DIR / "terraform", stack / "terraform", ignore=offline.COPY_IGNORE)
    apply_moto.build_packages(stack / "build")
    root = stack / "terraform" / name
    work.point_at_moto(root)
    work.terraform.init(root)
    outputs = {f"{name}.plan.json": work.terraform.plan(root, {"region": REGION})}
    if with_state:
        outputs[f"{name}.state.json"] = work.terraform.apply(root, {"region": REGION})
    return outputs


def seed(work: Workspace) -> Outputs:
    root = work.copy(STACK_DIR / "examples" / "seed", "seed")
    # Its function's filename = "authorizer.zip": a zip with a handler in the copy, never in the repository.
    with zipfile.ZipFile(root / "authorizer.zip", "w") as archive:
        archive.writestr(zipfile.ZipInfo("handler.py", date_time=(1980, 1, 1, 0, 0, 0)),
                         "def handler(event, context):\n    return {}\n")
    work.point_at_moto(root)
    work.terraform.init(root)
    return {"seed.plan.json": work.terraform.plan(root)}


def planned(name: str) -> Callable[[Workspace], Outputs]:
    def make(work: Workspace) -> Outputs:
        root = work.copy(PLANS_DIR / name, name)
        work.point_at_moto(root)
        work.terraform.init(root)
        return {f"{name}.plan.json": work.terraform.plan(root)}

    return make


def registry_module(work: Workspace) -> Outputs:
    repository = work.copy(PLANS_DIR / "registry_module" / "module_repo", "module_repo")
    env = {**work.terraform.env, "GIT_AUTHOR_NAME": "gateaudit", "GIT_AUTHOR_EMAIL": "fixtures@example.com",
           "GIT_COMMITTER_NAME": "gateaudit", "GIT_COMMITTER_EMAIL": "fixtures@example.com"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "route module"], ["tag", MODULE_TAG]):
        done = subprocess.run([work.git, *command], cwd=repository, env=env, capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise Failed(f"git {command[0]} failed in {repository}:\n{done.stderr}")
    root = work.tmp / "registry_module"
    root.mkdir()
    main = (PLANS_DIR / "registry_module" / "main.tf").read_text(encoding="utf-8")
    (root / "main.tf").write_text(main.replace(f"file://{MODULE_REPO_PLACEHOLDER}//", f"file://{repository}//"),
                                  encoding="utf-8")
    work.point_at_moto(root)
    work.terraform.init(root)
    return {"registry_module.plan.json": work.terraform.plan(root)}


def deleted_logging(work: Workspace) -> Outputs:
    root = work.copy(PLANS_DIR / "deleted_logging" / "v1", "deleted_logging")
    work.point_at_moto(root)
    work.terraform.init(root)
    state = work.terraform.apply(root)
    group = next(resource for resource in state["values"]["root_module"]["resources"]
                 if resource["address"] == "aws_cloudwatch_log_group.access")
    # Version 2 names the log group by the ARN version 1 recorded; a different ARN would plan another change.
    v2 = (PLANS_DIR / "deleted_logging" / "v2" / "logging.tf").read_text(encoding="utf-8")
    if f'"{group["values"]["arn"]}"' not in v2:
        raise Failed(f"deleted_logging/v2/logging.tf does not name the log group's ARN {group['values']['arn']}")
    for path in root.glob("*.tf"):
        if path.name != "moto_override.tf":
            path.unlink()
    for path in (PLANS_DIR / "deleted_logging" / "v2").glob("*.tf"):
        shutil.copy(path, root / path.name)
    return {"deleted_logging.plan.json": work.terraform.plan(root)}


FIXTURES: dict[str, Callable[[Workspace], Outputs]] = {
    "rest": lambda work: reference_root(work, "rest", with_state=True),
    "http": lambda work: reference_root(work, "http", with_state=False),
    "seed": seed,
    "for_each_modules": planned("for_each_modules"),
    "registry_module": registry_module,
    "deleted_logging": deleted_logging,
}


def stable(value: Any, replacements: list[tuple[str, str]], applied: bool, uuids: dict[str, str]) -> Any:
    """value with every run-specific string replaced: temporary paths and moto's endpoint; where something was
    applied, the times it was done at and the UUIDs the client drew (each a fixed UUID, by first appearance)."""
    if isinstance(value, dict):
        return {key: stable(item, replacements, applied, uuids) for key, item in value.items()}
    if isinstance(value, list):
        return [stable(item, replacements, applied, uuids) for item in value]
    if isinstance(value, str):
        for old, new in replacements:
            value = value.replace(old, new)
        if applied:
            value = APPLY_TIME.sub(FIXED_TIMESTAMP, value)
            value = UNIQUE_ID_TIME.sub(FIXED_UNIQUE_ID_TIME, value)
            value = UUID.sub(lambda found: uuids.setdefault(found[0], f"00000000-0000-4000-8000-{len(uuids):012d}"),
                             value)
    return value


def without_override(data: dict[str, Any]) -> dict[str, Any]:
    """data without what moto_override.tf added to the provider's configuration (endpoints, mock credentials,
    skip_* flags): the fixture's `configuration` is then the committed .tf files', which a reader maps results
    back to, and no provider block carries a credential that no file in the repository writes."""
    added = set(re.findall(r"^  (\w+)\s+=", apply_moto.provider_override("x", "x", "x"), re.MULTILINE)) | {"endpoints"}
    for provider in data.get("configuration", {}).get("provider_config", {}).values():
        expressions = provider.get("expressions", {})
        for name in added & set(expressions):
            del expressions[name]
    return data


def resource_count(module: dict[str, Any]) -> int:
    return len(module.get("resources", [])) + sum(resource_count(child) for child in module.get("child_modules", []))


def summary(data: dict[str, Any]) -> str:
    values = data.get("planned_values") or data.get("values") or {}
    text = f"{resource_count(values.get('root_module', {}))} resources"
    actions = Counter("/".join(change["change"]["actions"]) for change in data.get("resource_changes", []))
    if actions:
        text += " (" + ", ".join(f"{count} {action}" for action, count in sorted(actions.items())) + ")"
    return text


def terraform_environment(config_file: Path) -> dict[str, str]:
    """This process's environment without what would move Terraform's files, add arguments or reach real AWS."""
    env = {name: value for name, value in os.environ.items()
           if name not in offline.SCRUBBED_ENV and not name.startswith((*offline.SCRUBBED_ENV_PREFIXES, "AWS_"))}
    env.update(TF_CLI_CONFIG_FILE=str(config_file), TF_IN_AUTOMATION="1", TF_INPUT="0", CHECKPOINT_DISABLE="1")
    return env


def reset_moto(endpoint: str) -> None:
    """Forget what the previous fixture created, so each fixture's resources meet none of another's."""
    urllib.request.urlopen(urllib.request.Request(endpoint + "/moto-api/reset", method="POST"), timeout=30).close()


class SeededPerRequest:
    """moto's WSGI application, with its random generator reseeded before each request from the request itself.

    Terraform creates independent resources in no fixed order, so one seed at the start would give an id to
    whichever resource came first. Seeded from the request (method, path, query, target, body), an id depends on
    what is created, not when; requests are served one at a time so no other request draws in between. The
    client's idempotency token (a fresh UUID per call) and the time in names terraform makes unique are left out
    of the seed; stable() replaces them where they come back (a secret's version_id, a role's name).
    """

    def __init__(self, app: Callable[..., Any]) -> None:
        self.app = app
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        from moto.moto_api._internal import mock_random

        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        environ["wsgi.input"] = io.BytesIO(body)
        key = "|".join((environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
                        environ.get("HTTP_X_AMZ_TARGET", ""), seed_text(body))).encode()
        with self.lock:
            mock_random.seed(int.from_bytes(hashlib.sha256(key).digest()[:8], "big"))
            return list(self.app(environ, start_response))


def seed_text(body: bytes) -> str:
    """What of a request body decides what moto draws: the body without what varies between two runs of the same
    terraform command (a JSON body's key order and idempotency token, a form body's member numbering, the time
    in names terraform makes unique)."""
    text = UNIQUE_ID_TIME.sub(FIXED_UNIQUE_ID_TIME, body.decode("utf-8", errors="replace"))
    try:
        document = json.loads(text)
    except ValueError:
        # An AWS query (form) body: Tags.member.1.Key=... is numbered in map order, so only the names without
        # their numbers and the values, each sorted, are kept.
        pairs = urllib.parse.parse_qsl(text, keep_blank_values=True)
        return repr((sorted(re.sub(r"\.\d+", "", name) for name, _ in pairs), sorted(value for _, value in pairs)))
    if isinstance(document, dict):
        document.pop("ClientRequestToken", None)
    return json.dumps(document, sort_keys=True)


@contextmanager
def moto_server() -> Iterator[str]:
    """moto in server mode on a free loopback port, in this process, ids seeded per request; yields its URL."""
    from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
    from werkzeug.serving import make_server

    app = SeededPerRequest(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=MotoRequestHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        thread.join()


def make(names: list[str], output_dir: Path, terraform: Terraform, git: str | None) -> None:
    # moto loads the AWS managed policies into an account only if this is set when the account is first used
    # (the REST root attaches AmazonAPIGatewayPushToCloudWatchLogs).
    os.environ["MOTO_IAM_LOAD_MANAGED_POLICIES"] = "true"
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # one line per request otherwise
    with moto_server() as endpoint:
        output_dir.mkdir(parents=True, exist_ok=True)
        for name in names:
            reset_moto(endpoint)
            with tempfile.TemporaryDirectory(prefix=f"gateaudit-plan-{name}-") as tmp:
                work = Workspace(Path(tmp), terraform, endpoint, git)
                outputs = FIXTURES[name](work)
                replacements = [(str(Path(tmp).resolve() / "module_repo"), MODULE_REPO_PLACEHOLDER),
                                (str(Path(tmp) / "module_repo"), MODULE_REPO_PLACEHOLDER),
                                (str(Path(tmp).resolve()), WORKDIR_PLACEHOLDER), (tmp, WORKDIR_PLACEHOLDER),
                                (endpoint, MOTO_PLACEHOLDER)]
                for file_name, data in outputs.items():
                    applied = file_name.endswith(".state.json") or name == "deleted_logging"
                    data = stable(without_override(data), replacements, applied, {})
                    if "timestamp" in data:
                        data["timestamp"] = FIXED_TIMESTAMP
                    if "relevant_attributes" in data:  # terraform lists them in map order, which varies
                        data["relevant_attributes"].sort(key=lambda item: (item["resource"], json.dumps(item)))
                    target = output_dir / file_name
                    target.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n", encoding="utf-8")
                    shown = target.relative_to(REPO_ROOT) if target.is_relative_to(REPO_ROOT) else target
                    print(f"wrote {shown}: {summary(data)}")


def missing_tools(names: list[str]) -> list[str]:
    """What making these fixtures needs and this machine lacks, one sentence each."""
    missing = []
    if shutil.which("terraform") is None:
        missing.append("terraform is not on PATH (Terraform >= 1.11)")
    if offline.find_provider_mirror() is None:
        missing.append(f"no offline mirror holding {offline.PROVIDER} (set {offline.MIRROR_ENV} to the folder "
                       "that contains registry.terraform.io)")
    if "registry_module" in names and shutil.which("git") is None:
        missing.append("git is not on PATH (registry_module's module is a git repository)")
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=sorted(FIXTURES), action="append",
                        help="make this fixture alone (repeatable); default: every one")
    parser.add_argument("--output-dir", type=Path, default=PLANS_DIR, help=f"default: {PLANS_DIR}")
    args = parser.parse_args(argv)
    names = args.only or list(FIXTURES)

    missing = missing_tools(names)
    if missing:
        print("make_plans: cannot make the fixtures: " + "; ".join(missing), file=sys.stderr)
        return 2
    binary, mirror, git = shutil.which("terraform"), offline.find_provider_mirror(), shutil.which("git")

    with tempfile.TemporaryDirectory(prefix="gateaudit-plan-cli-") as config_dir:
        config_file = Path(config_dir) / "offline.tfrc"
        config_file.write_text(offline.cli_config(mirror), encoding="utf-8")
        try:
            make(names, args.output_dir.resolve(), Terraform(binary, terraform_environment(config_file)), git)
        except Failed as error:
            print(f"make_plans: {error}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
