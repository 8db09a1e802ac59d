"""`terraform validate` on both roots of the reference stack, its modules and the insecure seed, offline.

Terraform, the provider mirror and the copy of the stack each test works on come from conftest.py; the
tests skip, saying why, when `terraform` or the mirror is missing.
"""

import json
from pathlib import Path

import pytest

INIT_TIMEOUT_SECONDS = 300
VALIDATE_TIMEOUT_SECONDS = 120
FMT_TIMEOUT_SECONDS = 60


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
    ("module_dir", "warnings_allowed"),
    [
        pytest.param("terraform/rest", False, id="rest"),
        pytest.param("terraform/http", False, id="http"),
        pytest.param("terraform/modules/api-key-authorizer", False, id="module-api-key-authorizer"),
        pytest.param("terraform/modules/backend-function", False, id="module-backend-function"),
        pytest.param("examples/seed", True, id="seed"),
    ],
)
def test_module_validates(module_dir: str, warnings_allowed: bool, terraform, copy_stack, tmp_path: Path) -> None:
    # The whole terraform/ tree is copied so that the roots find ../modules.
    top = module_dir.split("/")[0] if module_dir.startswith("terraform/") else module_dir
    workdir = copy_stack(tmp_path, top) / module_dir
    assert workdir.is_dir(), f"stack/{module_dir} is missing"

    init = terraform.run(["init", "-backend=false", "-input=false", "-no-color"], workdir, INIT_TIMEOUT_SECONDS)
    assert init.returncode == 0, (
        f"terraform init failed for stack/{module_dir} (exit {init.returncode}):\n{init.stdout}\n{init.stderr}"
    )

    validate = terraform.run(["validate", "-json"], workdir, VALIDATE_TIMEOUT_SECONDS)
    try:
        report = json.loads(validate.stdout)
    except json.JSONDecodeError:
        pytest.fail(
            f"terraform validate -json printed no JSON for stack/{module_dir} "
            f"(exit {validate.returncode}):\n{validate.stdout}\n{validate.stderr}"
        )

    diagnostics = describe_diagnostics(report.get("diagnostics", []))
    assert report.get("valid") is True and report.get("error_count") == 0, (
        f"stack/{module_dir} is not valid Terraform "
        f"({report.get('error_count')} errors, exit {validate.returncode}):\n{diagnostics}"
    )
    if not warnings_allowed:
        assert report.get("warning_count") == 0, (
            f"stack/{module_dir} validates with {report.get('warning_count')} warnings:\n{diagnostics}"
        )


def test_reference_stack_is_formatted(terraform, copy_stack, tmp_path: Path) -> None:
    workdir = copy_stack(tmp_path, "terraform") / "terraform"
    done = terraform.run(["fmt", "-check", "-recursive", "-list=true", "-no-color"], workdir, FMT_TIMEOUT_SECONDS)
    assert done.returncode == 0, (
        f"terraform fmt would rewrite these files of stack/terraform (run `terraform fmt -recursive "
        f"stack/terraform`):\n{done.stdout}{done.stderr}"
    )
