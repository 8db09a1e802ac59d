"""ci/gitlab/gateaudit.gitlab-ci.yml: valid YAML, wired to the files its command writes, and its script run for real.

GitLab joins a job's script lines into one shell script and runs it with bash's `-eo pipefail` (the python image
has bash); the test does the same, with gateaudit pip-installed from this working tree.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from junitparser import Failure, JUnitXml

from gateaudit.reports import file_name

from ._stacks import copy_stack

ROOT = Path(__file__).resolve().parent.parent.parent
TEMPLATE = yaml.safe_load((ROOT / "ci" / "gitlab" / "gateaudit.gitlab-ci.yml").read_text())
JOB = TEMPLATE[".gateaudit"]

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed: the job script needs it")


def scan_command() -> list[str]:
    [line] = [line for line in JOB["script"] if " scan " in line]
    return shlex.split(line)


def output_dir() -> str:
    command = scan_command()
    return command[command.index("--output-dir") + 1]


def test_it_is_one_hidden_job_to_extend():
    assert list(TEMPLATE) == [".gateaudit"]
    assert set(JOB["variables"]) == {"GATEAUDIT_PACKAGE", "GATEAUDIT_PATHS", "GATEAUDIT_ARGS"}


def test_the_junit_report_artifact_is_the_file_the_command_writes():
    command = scan_command()
    formats = [command[i + 1] for i, word in enumerate(command) if word == "--format"]
    assert "junit" in formats and "html" in formats and "sarif" in formats
    assert JOB["artifacts"]["reports"]["junit"] == f"{output_dir()}/{file_name('junit')}"
    assert JOB["artifacts"]["paths"] == [f"{output_dir()}/"]  # the HTML and SARIF reports are downloadable
    assert JOB["artifacts"]["when"] == "always"  # a failing gate is when the reports matter most


def test_the_scan_exit_code_is_kept_and_is_the_jobs():
    script = "\n".join(JOB["script"])
    assert re.search(r"--output-dir \S+ \|\| status=\$\?", script)
    assert JOB["script"][-1] == 'exit "$status"'


def run_job(workspace: Path, tmp_path: Path, runner_path: str, **variables: str) -> subprocess.CompletedProcess:
    script = tmp_path / "job.sh"
    script.write_text("\n".join(JOB["script"]) + "\n")
    env = {**os.environ, **JOB["variables"], **variables, "PATH": runner_path, "TMPDIR": str(tmp_path),
           "CI_PROJECT_DIR": str(workspace)}
    return subprocess.run(["bash", "-eo", "pipefail", str(script)], cwd=workspace, env=env, capture_output=True,
                          text=True, timeout=600)


def workspace_with(tmp_path: Path, source: Path) -> Path:
    copy_stack(source, tmp_path / "project" / "infra")
    return tmp_path / "project"


def test_an_insecure_stack_fails_the_job_and_leaves_every_report(tmp_path, runner_path, insecure_tf):
    workspace = workspace_with(tmp_path, insecure_tf)
    done = run_job(workspace, tmp_path, runner_path, GATEAUDIT_PACKAGE=str(ROOT), GATEAUDIT_PATHS="infra")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAIL    GA101 aws_api_gateway_method.get  main.tf:12" in done.stdout  # the text report, in the log
    reports = workspace / output_dir()
    assert sorted(p.name for p in reports.iterdir()) == ["gateaudit.html", "gateaudit.sarif", "gateaudit.txt",
                                                         "gateaudit.xml"]
    failures = [(case.classname, case.name) for suite in JUnitXml.fromfile(str(reports / "gateaudit.xml"))
                for case in suite if any(isinstance(r, Failure) for r in case.result)]
    assert len(failures) == 1 and "GA101" in " ".join(failures[0])


def test_a_secure_stack_passes_and_args_reach_the_command(tmp_path, runner_path, secure_tf):
    workspace = workspace_with(tmp_path, secure_tf)
    done = run_job(workspace, tmp_path, runner_path, GATEAUDIT_PACKAGE=str(ROOT), GATEAUDIT_PATHS="infra",
                   GATEAUDIT_ARGS="--fail-on high --unknown warn")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS: nothing failed at or above fail-on high (0 failed" in done.stdout
    assert (workspace / JOB["artifacts"]["reports"]["junit"]).is_file()


def test_without_a_package_to_install_the_job_says_so_and_fails_with_2(tmp_path, runner_path):
    done = run_job(tmp_path, tmp_path, runner_path)
    assert done.returncode == 2 and "set GATEAUDIT_PACKAGE" in done.stdout
