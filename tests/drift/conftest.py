"""The reference stack applied to a moto server, as `terraform show -json` of its state: the account side of a
drift, until `gateaudit audit` writes that document from boto3 (the same format, the AWS provider's names).

Reuses tests/stack's helpers (imported by path: tests/ is no package). Skips, saying why, where terraform or
its offline provider mirror is missing, as tests/stack does.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

TESTS = Path(__file__).resolve().parents[1]


def _by_path(name: str, path: Path) -> Any:
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # its dataclasses look themselves up there
        spec.loader.exec_module(module)
    return sys.modules[name]


offline = _by_path("gateaudit_tests_stack_conftest", TESTS / "stack" / "conftest.py")
apply_moto = _by_path("gateaudit_tests_stack_apply_moto", TESTS / "stack" / "test_apply_moto.py")

ACCOUNTS = {"rest": "210000000011", "http": "210000000012"}


@pytest.fixture(scope="session")
def offline_terraform(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """tests/stack's `terraform` fixture, for this folder (a fixture of another folder's conftest is not seen)."""
    return offline.terraform.__wrapped__(tmp_path_factory)


@pytest.fixture(scope="module")
def applied(request: pytest.FixtureRequest, moto_endpoint: str,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """applied(root): the root (`rest` or `http`) applied to moto with its defaults; returns (the copied stack's
    root folder, the account, `terraform show -json` of its state). Each root once per module; destroyed after."""
    terraform = request.getfixturevalue("offline_terraform")
    monkeypatch = pytest.MonkeyPatch()
    done: dict[str, Any] = {}
    deployed: list[tuple[Path, dict[str, str]]] = []

    def apply(root: str) -> Any:
        if root in done:
            return done[root]
        work = tmp_path_factory.mktemp(f"drift-{root}")
        stack = offline._copy_stack(work, "terraform")
        apply_moto.build_packages(stack / "build")
        account = apply_moto.open_account(moto_endpoint, ACCOUNTS[root], monkeypatch)
        workdir = stack / "terraform" / root
        (workdir / "moto_override.tf").write_text(
            apply_moto.provider_override(moto_endpoint, account.access_key, account.secret_key), encoding="utf-8")
        init = terraform.run(["init", "-input=false", "-no-color"], workdir, apply_moto.INIT_TIMEOUT_SECONDS)
        assert init.returncode == 0, f"terraform init failed:\n{init.stdout}\n{init.stderr}"
        variables = [f"-var=region={apply_moto.REGION}"]
        run = terraform.run(["apply", "-auto-approve", "-input=false", "-no-color", *variables], workdir,
                            apply_moto.APPLY_TIMEOUT_SECONDS)
        assert run.returncode == 0, f"terraform apply failed:\n{run.stdout}\n{run.stderr}"
        deployed.append((workdir, variables))
        shown = apply_moto.json_of(terraform.run(["show", "-json"], workdir, apply_moto.SHOW_TIMEOUT_SECONDS),
                                   "terraform show")
        done[root] = (workdir, account, shown)
        return done[root]

    try:
        yield apply
    finally:
        for workdir, variables in deployed:
            terraform.run(["destroy", "-auto-approve", "-input=false", "-no-color", *variables], workdir,
                          apply_moto.DESTROY_TIMEOUT_SECONDS)
        monkeypatch.undo()
