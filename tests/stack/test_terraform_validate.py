"""`terraform validate` on the reference stack and on the insecure seed, offline.

Each root module is copied to a temporary folder first, so `terraform init` leaves
no `.terraform` folder or lock file in the repository. Providers come from a local
filesystem mirror (the folder holding `registry.terraform.io/hashicorp/aws`), never
from the network. The tests skip, saying why, when `terraform` or the mirror is missing.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
STACK_DIR = REPO_ROOT / "stack"

PROVIDER = "registry.terraform.io/hashicorp/aws"
MIRROR_ENV = "GATEAUDIT_TF_PROVIDER_MIRROR"
MIRROR_ROOTS = (
    Path("/opt"),
    Path("/usr/local/share"),
    Path("/usr/share"),
    Path.home() / ".terraform.d",
    Path.home() / ".local" / "share" / "terraform",
)

INIT_TIMEOUT_SECONDS = 300
VALIDATE_TIMEOUT_SECONDS = 120

# Environment variables that would move Terraform's working files (possibly into
# the repository) or add arguments to the commands run here.
SCRUBBED_ENV = ("TF_DATA_DIR", "TF_WORKSPACE", "TF_CLI_ARGS")
SCRUBBED_ENV_PREFIX = "TF_CLI_ARGS_"


def find_provider_mirror() -> Path | None:
    """Return the mirror folder (the parent of registry.terraform.io) holding hashicorp/aws."""
    override = os.environ.get(MIRROR_ENV)
    candidates = [Path(override) / "registry.terraform.io"] if override else []
    for root in MIRROR_ROOTS:
        if root.is_dir():
            candidates.extend(sorted(root.glob("registry.terraform.io")))
            candidates.extend(sorted(root.glob("*/registry.terraform.io")))
    for registry_dir in candidates:
        if (registry_dir / "hashicorp" / "aws").is_dir():
            return registry_dir.parent
    return None


def cli_config(mirror: Path) -> str:
    # json.dumps yields a double-quoted string with escapes HCL also accepts.
    return (
        "provider_installation {\n"
        "  filesystem_mirror {\n"
        f"    path    = {json.dumps(str(mirror))}\n"
        f"    include = [{json.dumps(PROVIDER)}]\n"
        "  }\n"
        "  direct {\n"
        f"    exclude = [{json.dumps(PROVIDER)}]\n"
        "  }\n"
        "}\n"
    )


@pytest.fixture(scope="module")
def terraform_bin() -> str:
    found = shutil.which("terraform")
    if found is None:
        pytest.skip(f"terraform not on PATH: install Terraform >= 1.11 to validate {STACK_DIR}")
    return found


@pytest.fixture(scope="module")
def terraform_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    mirror = find_provider_mirror()
    if mirror is None:
        searched = ", ".join(str(root) for root in MIRROR_ROOTS)
        pytest.skip(
            f"no offline provider mirror holding {PROVIDER} found under {searched}; "
            f"set {MIRROR_ENV} to the folder that contains registry.terraform.io"
        )
    config_file = tmp_path_factory.mktemp("terraform-cli") / "offline.tfrc"
    config_file.write_text(cli_config(mirror), encoding="utf-8")

    env = {
        name: value
        for name, value in os.environ.items()
        if name not in SCRUBBED_ENV and not name.startswith(SCRUBBED_ENV_PREFIX)
    }
    env.update(
        TF_CLI_CONFIG_FILE=str(config_file),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        CHECKPOINT_DISABLE="1",
    )
    return env


def run_terraform(
    terraform: str, args: list[str], cwd: Path, env: dict[str, str], timeout: int
) -> subprocess.CompletedProcess[str]:
    command = [terraform, *args]
    try:
        return subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(command)} did not finish within {timeout} s (in {cwd})")


def describe_diagnostics(diagnostics: list[dict]) -> str:
    lines = []
    for diagnostic in diagnostics:
        where = diagnostic.get("range") or {}
        location = f"{where.get('filename', '?')}:{(where.get('start') or {}).get('line', '?')}"
        lines.append(
            f"  {diagnostic.get('severity', '?')}: {location}: {diagnostic.get('summary', '')}"
            f" {diagnostic.get('detail', '')}".rstrip()
        )
    return "\n".join(lines) or "  (no diagnostics)"


@pytest.mark.parametrize(
    ("root_module", "warnings_allowed"),
    [
        pytest.param("terraform", False, id="reference"),
        pytest.param("examples/seed", True, id="seed"),
    ],
)
def test_root_module_validates(
    root_module: str,
    warnings_allowed: bool,
    terraform_bin: str,
    terraform_env: dict[str, str],
    tmp_path: Path,
) -> None:
    source = STACK_DIR / root_module
    assert source.is_dir(), f"{source} is missing"
    workdir = tmp_path / source.name
    shutil.copytree(
        source,
        workdir,
        ignore=shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.*"),
    )

    init = run_terraform(
        terraform_bin,
        ["init", "-backend=false", "-input=false", "-no-color"],
        workdir,
        terraform_env,
        INIT_TIMEOUT_SECONDS,
    )
    assert init.returncode == 0, (
        f"terraform init failed for stack/{root_module} (exit {init.returncode}):\n"
        f"{init.stdout}\n{init.stderr}"
    )

    validate = run_terraform(
        terraform_bin, ["validate", "-json"], workdir, terraform_env, VALIDATE_TIMEOUT_SECONDS
    )
    try:
        report = json.loads(validate.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"terraform validate -json printed no JSON for stack/{root_module} "
            f"(exit {validate.returncode}):\n{validate.stdout}\n{validate.stderr}"
        )

    diagnostics = describe_diagnostics(report.get("diagnostics", []))
    assert report.get("valid") is True and report.get("error_count") == 0, (
        f"stack/{root_module} is not valid Terraform "
        f"({report.get('error_count')} errors, exit {validate.returncode}):\n{diagnostics}"
    )
    if not warnings_allowed:
        assert report.get("warning_count") == 0, (
            f"stack/{root_module} validates with {report.get('warning_count')} warnings:\n{diagnostics}"
        )
