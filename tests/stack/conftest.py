"""Running Terraform offline for the stack's tests: the binary, a provider mirror, a scrubbed environment.

Every test works on a copy of the stack in a temporary folder, so `terraform init` leaves no `.terraform`
folder, lock file or state in the repository. Providers come from a local filesystem mirror (the folder
holding `registry.terraform.io/hashicorp/aws`), never from the network. Tests that need Terraform skip,
saying why, when `terraform` or the mirror is missing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
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

# Environment variables that would move Terraform's working files (possibly into
# the repository) or add arguments to the commands run here.
SCRUBBED_ENV = ("TF_DATA_DIR", "TF_WORKSPACE", "TF_CLI_ARGS")
SCRUBBED_ENV_PREFIXES = ("TF_CLI_ARGS_", "TF_VAR_")

# What a copy of the stack leaves out: Terraform's working files and anything built.
COPY_IGNORE = shutil.ignore_patterns(".terraform", ".terraform.lock.hcl", "*.tfstate", "*.tfstate.*",
                                     "*_override.tf", "override.tf", "build", "__pycache__")


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


@dataclass(frozen=True)
class Terraform:
    """The terraform binary with an offline environment; runs commands that fail the test on timeout."""

    binary: str
    env: dict[str, str]

    def run(self, args: list[str], cwd: Path, timeout: int,
            extra_env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        command = [self.binary, *args]
        try:
            return subprocess.run(command, cwd=cwd, env={**self.env, **(extra_env or {})}, capture_output=True,
                                  text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired:
            pytest.fail(f"{' '.join(command)} did not finish within {timeout} s (in {cwd})")


def _copy_stack(destination: Path, *folders: str) -> Path:
    stack = destination / "stack"
    for folder in folders:
        shutil.copytree(STACK_DIR / folder, stack / folder, ignore=COPY_IGNORE)
    return stack


@pytest.fixture
def copy_stack():
    """copy_stack(destination, *folders): copy stack/<folder> into destination/stack/<folder>; return
    destination/stack.

    Copying whole folders keeps relative module sources (`../modules/...`) and the zips' default
    location (`stack/build/`) where the configuration expects them.
    """
    return _copy_stack


@pytest.fixture(scope="session")
def terraform(tmp_path_factory: pytest.TempPathFactory) -> Terraform:
    found = shutil.which("terraform")
    if found is None:
        pytest.skip(f"terraform not on PATH: install Terraform >= 1.11 to check {STACK_DIR / 'terraform'}")
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
        if name not in SCRUBBED_ENV and not name.startswith(SCRUBBED_ENV_PREFIXES)
    }
    env.update(
        TF_CLI_CONFIG_FILE=str(config_file),
        TF_IN_AUTOMATION="1",
        TF_INPUT="0",
        CHECKPOINT_DISABLE="1",
    )
    return Terraform(binary=found, env=env)
