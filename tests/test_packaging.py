"""The distribution holds what a `pip install .` user needs, under the import names the docs promise."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import gateaudit

ROOT = Path(__file__).resolve().parent.parent


def test_tests_import_the_installed_package():
    # An editable install maps gateaudit onto checker/; a plain install puts it in site-packages. Either
    # way it is the installed distribution, not a path hack.
    from importlib.metadata import distribution

    assert distribution("gateaudit").version == gateaudit.__version__
    assert Path(gateaudit.__file__).parent.name in ("checker", "gateaudit")


def test_wheel_holds_every_package_rules_and_data(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "-w", str(tmp_path), str(ROOT)], check=True, timeout=300, capture_output=True)
    [wheel] = tmp_path.glob("gateaudit-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    rule_modules = {f"gateaudit/rules/{p.name}" for p in (ROOT / "rules").glob("*.py")}
    assert rule_modules <= names
    assert {"gateaudit/cli.py", "gateaudit/__main__.py", "gateaudit/data/aws_schema.json",
            "gateaudit/data/aws_types.json", "gateaudit/reports/json_report.py", "gateaudit/reports/text.py"} <= names
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "gateaudit = gateaudit.__main__:run" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_a_test_session_leaves_no_cache_folder_behind(tmp_path):
    """tests/conftest.py gives each session a parse cache of its own in the temporary folder, and removes it."""
    env = {key: value for key, value in os.environ.items() if key != "GATEAUDIT_CACHE_DIR"}
    env["TMPDIR"] = str(tmp_path)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/checker/test_python_code.py::test_recursion_ends"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("gateaudit-test-cache-")] == []
