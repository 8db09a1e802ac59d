import atexit
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The scanned tree as an attacker writes it (issues 8 and 13): `make fuzz` runs these (`pytest -m hostile`)
# with its fuzz tests at length; `make test` runs them as part of everything.
HOSTILE = {"hostile", "cli/test_user_rules.py", "cli/test_config_trust.py", "cli/test_baseline.py",
           "cli/test_terminal.py", "cli/test_output.py", "cli/test_skip_path.py", "checkov/test_hostile.py",
           "reports/test_no_secret_in_reports.py", "reports/test_evidence.py", "checker/test_overrides.py",
           "checker/test_root.py", "checker/test_scan_cache.py", "checker/test_parse_cache.py",
           "checker/test_modules_found.py"}


def pytest_collection_modifyitems(items):
    for item in items:
        relative = Path(item.fspath).resolve().relative_to(ROOT / "tests")
        if relative.parts[0] in HOSTILE or relative.as_posix() in HOSTILE:
            item.add_marker(pytest.mark.hostile)
# Scans in tests use their own parse cache, never the user's; the session that made it removes it when it ends.
if "GATEAUDIT_CACHE_DIR" not in os.environ:
    os.environ["GATEAUDIT_CACHE_DIR"] = tempfile.mkdtemp(prefix="gateaudit-test-cache-")
    atexit.register(shutil.rmtree, os.environ["GATEAUDIT_CACHE_DIR"], ignore_errors=True)


@pytest.fixture(scope="session", autouse=True)
def stack_packages() -> list[Path]:
    """The reference stack's Lambda zips in stack/build/, byte for byte what `make package` writes.

    stack/terraform deploys stack/build/authorizer.zip, and gateaudit reads the authorizer's code from it; the
    folder is not committed, so a fresh clone lacks it and `pytest` alone would scan a stack whose code cannot
    be read. A zip missing, or stale after an edit of the sources, is written again with stack/package.py.
    """
    spec = importlib.util.spec_from_file_location("gateaudit_tests_stack_package", ROOT / "stack" / "package.py")
    package = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(package)
    written = []
    for zip_name, source_dir in package.FUNCTIONS.items():
        target = package.DEFAULT_OUTPUT_DIR / zip_name
        data = package.zip_bytes(source_dir)
        if not target.is_file() or target.read_bytes() != data:
            target.parent.mkdir(parents=True, exist_ok=True)
            # Written aside then renamed: a scan running meanwhile reads the old zip or the new one, never half.
            partial = target.with_name(f".{zip_name}.{os.getpid()}.partial")
            partial.write_bytes(data)
            partial.replace(target)
        written.append(target)
    return written


@pytest.fixture
def run_cli():
    """Run the installed console entry point as a user would: returns (exit code, stdout, stderr)."""

    def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "gateaudit", *args], capture_output=True, text=True,
                              cwd=cwd or ROOT, timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})

    return run


@pytest.fixture(scope="session")
def moto_endpoint():
    """A real local HTTP endpoint standing in for AWS: moto in server mode on a free loopback port.

    Yields the endpoint URL; boto3 clients take it as endpoint_url with dummy credentials.
    """
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    previous = {k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")}
    os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_DEFAULT_REGION="us-east-1")
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
