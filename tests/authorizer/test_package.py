"""stack/package.py builds the Lambda zips reproducibly, and the authorizer zip works as Lambda would load it."""

import hashlib
import importlib.util
import io
import os
import shutil
import subprocess
import sys
import uuid
import zipfile
import zipimport
from pathlib import Path

import boto3
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_PY = ROOT / "stack" / "package.py"
ZIPS = ("authorizer.zip", "backend.zip")


def build(output_dir: Path) -> subprocess.CompletedProcess:
    """Run package.py as `make package` does, into output_dir."""
    return subprocess.run([sys.executable, str(PACKAGE_PY), "--output-dir", str(output_dir)], capture_output=True,
                          text=True, check=True, timeout=60)


@pytest.fixture(scope="module")
def package():
    spec = importlib.util.spec_from_file_location("stack_package", PACKAGE_PY)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_two_builds_give_the_same_bytes(tmp_path):
    first, second = build(tmp_path / "first"), build(tmp_path / "second")
    for name in ZIPS:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes()
    assert first.stdout.replace("first", "second") == second.stdout


def test_build_prints_each_zip_with_its_sha256(tmp_path):
    out = build(tmp_path).stdout
    for name in ZIPS:
        digest = hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        assert f"{tmp_path / name}" in out and f"sha256 {digest}" in out


@pytest.mark.parametrize(("zip_name", "handler_source"), [("authorizer.zip", "stack/authorizer/handler.py"),
                                                         ("backend.zip", "stack/backend/handler.py")])
def test_zip_holds_the_handler_at_its_root_with_fixed_metadata(tmp_path, zip_name, handler_source):
    build(tmp_path)
    with zipfile.ZipFile(tmp_path / zip_name) as archive:
        assert archive.namelist() == ["handler.py"]  # the function's handler is handler.handler
        assert archive.read("handler.py") == (ROOT / handler_source).read_bytes()
        for info in archive.infolist():
            assert info.date_time == (1980, 1, 1, 0, 0, 0)
            assert info.external_attr >> 16 == 0o100644
            assert info.create_system == 3
            assert info.compress_type == zipfile.ZIP_DEFLATED


def test_only_sources_go_in_sorted_whatever_their_dates_and_modes(tmp_path, package):
    source = tmp_path / "src"
    (source / "pkg").mkdir(parents=True)
    (source / "handler.py").write_text("from pkg import util\n")
    (source / "pkg" / "util.py").write_text("X = 1\n")
    (source / "pkg" / "__init__.py").write_text("")
    for stray in ("__pycache__/handler.cpython-312.pyc", ".venv/lib.py", "notes.txt", ".env", "pkg/__pycache__/u.pyc"):
        (source / stray).parent.mkdir(parents=True, exist_ok=True)
        (source / stray).write_text("API_KEY=do-not-ship\n")
    first = package.zip_bytes(source)

    copy = tmp_path / "copy"
    shutil.copytree(source, copy)
    for path in copy.rglob("*.py"):
        os.utime(path, (2_000_000_000, 2_000_000_000))
        path.chmod(0o755)
    assert package.zip_bytes(copy) == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["handler.py", "pkg/__init__.py", "pkg/util.py"]


def test_no_sources_is_an_error_not_an_empty_zip(tmp_path, package, monkeypatch, capsys):
    monkeypatch.setattr(package, "FUNCTIONS", {"empty.zip": tmp_path / "nothing-here"})
    assert package.main(["--output-dir", str(tmp_path / "out")]) == 1
    assert "no *.py files" in capsys.readouterr().err
    assert not (tmp_path / "out" / "empty.zip").exists()


def test_the_authorizer_zip_runs_as_lambda_loads_it(tmp_path, authorizer, moto_endpoint, monkeypatch, support,
                                                   http_event, capsys):
    """Import handler.handler from the built zip (as the runtime imports from its code root) and call it against
    moto. (The authorizer fixture clears the settings; the module under test is the zip's own copy.)"""
    build(tmp_path)
    client = boto3.client("secretsmanager", endpoint_url=moto_endpoint, region_name="us-east-1")
    name = f"gateaudit-zip-test-{uuid.uuid4().hex[:8]}"
    arn = client.create_secret(Name=name, SecretString=support.CURRENT_KEY)["ARN"]
    monkeypatch.setenv("API_KEY_SECRET_ARN", arn)
    monkeypatch.setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", moto_endpoint)
    spec = zipimport.zipimporter(str(tmp_path / "authorizer.zip")).find_spec("handler")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.__file__.startswith(str(tmp_path / "authorizer.zip"))
    assert module.handler(support.with_key(http_event, support.CURRENT_KEY), None) == {"isAuthorized": True}
    assert module.handler(support.with_key(http_event, "wrong-key-000000000000"), None) == {"isAuthorized": False}
    assert support.CURRENT_KEY not in capsys.readouterr().out
