"""action.yml: its structure, and its shell steps run for real, the way a GitHub runner runs them.

A small runner below reads the composite action, evaluates the expressions it uses (inputs, github.action_path,
steps.<id>.outputs), honours each step's `if:`, runs `run:` steps with `bash --noprofile --norc -eo pipefail`
(GitHub's `shell: bash`) with GITHUB_OUTPUT, GITHUB_STEP_SUMMARY and RUNNER_TEMP, and records what the
`uses:` steps would have been given. Installing gateaudit is real too: from the action's folder into a venv.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from ._stacks import copy_stack

ROOT = Path(__file__).resolve().parent.parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
STEPS = ACTION["runs"]["steps"]
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed: the steps need it")


def step(step_id: str) -> dict:
    return next(s for s in STEPS if s.get("id") == step_id)


@dataclass
class Job:
    workspace: Path
    runner_temp: Path
    inputs: dict[str, str]
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)  # steps.<id>.outputs
    ran: list[str] = field(default_factory=list)  # names of the steps that ran
    uses: dict[str, dict[str, str]] = field(default_factory=dict)  # action -> its evaluated `with:`
    log: str = ""
    failed_with: int | None = None  # the exit code of the step that failed the job

    def value(self, reference: str) -> str:
        head, _, rest = reference.partition(".")
        if head == "inputs":
            return self.inputs[rest]  # a KeyError is an input the action uses but does not declare
        if reference == "github.action_path":
            return str(ROOT)
        if head == "steps":
            step_id, outputs, name = rest.split(".", 2)
            assert outputs == "outputs", reference
            return self.outputs.get(step_id, {}).get(name, "")
        raise AssertionError(f"the test runner does not evaluate {reference}")

    def expand(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), str(text))

    def condition(self, text: str | None) -> bool:
        """`if:` as the action writes it: always(), and == / != comparisons with a string, joined by &&."""
        text = EXPRESSION.sub(lambda m: m.group(1), text or "")
        if "always()" not in text and self.failed_with is not None:
            return False  # without always(), a step runs only while every step before it succeeded
        for term in filter(None, (t.strip() for t in text.split("&&"))):
            if term == "always()":
                continue
            match = re.fullmatch(r"([\w.-]+) (==|!=) '([^']*)'", term)
            assert match, f"the test runner cannot evaluate {term!r}"
            equal = self.value(match.group(1)) == match.group(3)
            if equal != (match.group(2) == "=="):
                return False
        return True

    def run(self, steps: list[dict], path: str) -> Job:
        for number, current in enumerate(steps):
            if not self.condition(current.get("if")):
                continue
            self.ran.append(current["name"])
            if "uses" in current:
                self.uses[current["uses"]] = {k: self.expand(v) for k, v in current.get("with", {}).items()}
                continue
            assert current["shell"] == "bash"
            script = self.runner_temp / f"step{number}.sh"
            script.write_text(current["run"])
            output = self.runner_temp / f"output{number}"
            output.write_text("")
            env = {**os.environ, "PATH": path, "RUNNER_TEMP": str(self.runner_temp), "GITHUB_OUTPUT": str(output),
                   "GITHUB_STEP_SUMMARY": str(self.runner_temp / "summary.md"), "GITHUB_WORKSPACE": str(self.workspace),
                   **{k: self.expand(v) for k, v in current.get("env", {}).items()}}
            done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=self.workspace,
                                  env=env, capture_output=True, text=True, timeout=600)
            self.log += done.stdout + done.stderr
            if "id" in current:
                self.outputs[current["id"]] = dict(line.split("=", 1) for line in output.read_text().splitlines())
            if done.returncode != 0 and self.failed_with is None:
                self.failed_with = done.returncode
        return self


def defaults(**given: str) -> dict[str, str]:
    inputs = {name: str(spec.get("default", "")) for name, spec in ACTION["inputs"].items()}
    unknown = set(given) - set(inputs)
    assert not unknown, f"not inputs of the action: {unknown}"
    return {**inputs, **given}


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict[str, str]:
    """The action's install step, run once: gateaudit pip-installed from the action's folder into a venv."""
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    runner_temp = tmp_path_factory.mktemp("runner-temp")
    workspace = tmp_path_factory.mktemp("workspace")
    setup = [s for s in STEPS if s.get("id") == "install" or s.get("uses", "").startswith("actions/setup-python")]
    job = Job(workspace, runner_temp, defaults()).run(setup, path)
    assert job.failed_with is None, job.log
    return {"gateaudit": job.outputs["install"]["gateaudit"], "runner_temp": str(runner_temp), "path": path}


def scan_job(installed: dict, workspace: Path, tmp_path: Path, **inputs: str) -> Job:
    """Every step after the install, in a fresh runner temp folder, with gateaudit already installed."""
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir(parents=True)
    job = Job(workspace, runner_temp, defaults(**inputs), outputs={"install": {"gateaudit": installed["gateaudit"]}})
    after_install = STEPS[[s.get("id") for s in STEPS].index("install") + 1:]
    return job.run(after_install, installed["path"])


def workspace_with(tmp_path: Path, source: Path, folder: str = "infra") -> Path:
    workspace = tmp_path / "workspace"
    copy_stack(source, workspace / folder)
    return workspace


# --- structure ---------------------------------------------------------------------------------------------


def test_it_is_a_composite_action_that_sets_up_python_installs_scans_uploads_and_gates():
    assert ACTION["runs"]["using"] == "composite"
    assert [s.get("uses", s.get("id")) for s in STEPS] == [
        "actions/setup-python@v5", "install", "scan", "github/codeql-action/upload-sarif@v3", "gate"]


def test_every_input_is_used_and_every_expression_names_a_declared_input():
    text = (ROOT / "action.yml").read_text()
    steps_text = text[text.index("\nruns:"):]
    used = set(re.findall(r"inputs\.([\w-]+)", steps_text))
    assert used == set(ACTION["inputs"])
    for spec in ACTION["inputs"].values():
        assert spec["description"] and "default" in spec


def test_inputs_reach_scripts_through_env_never_pasted_into_them():
    # `run: gateaudit ${{ inputs.paths }}` would let a crafted input run commands on the runner.
    for current in STEPS:
        if "run" in current:
            assert "${{" not in current["run"], current["name"]


def test_upload_runs_even_after_a_failed_scan_and_only_when_asked_and_a_sarif_file_exists():
    upload = next(s for s in STEPS if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert "always()" in upload["if"]
    assert "inputs.upload-sarif == 'true'" in upload["if"]
    assert "steps.scan.outputs.sarif-file != ''" in upload["if"]
    assert upload["with"]["sarif_file"] == "${{ steps.scan.outputs.sarif-file }}"


def test_the_last_step_fails_the_job_with_the_scans_exit_code():
    gate = STEPS[-1]
    assert gate["id"] == "gate" and "always()" in gate["if"]
    assert gate["env"]["GATEAUDIT_EXIT_CODE"] == "${{ steps.scan.outputs.exit-code }}"
    assert gate["run"].rstrip().endswith('exit "$GATEAUDIT_EXIT_CODE"')
    assert ACTION["outputs"]["exit-code"]["value"] == "${{ steps.scan.outputs.exit-code }}"


# --- run for real ------------------------------------------------------------------------------------------


def test_install_puts_gateaudit_from_the_actions_folder_into_a_venv_of_its_own(installed):
    gateaudit = Path(installed["gateaudit"])
    assert gateaudit.is_relative_to(Path(installed["runner_temp"]) / "gateaudit-venv")
    done = subprocess.run([str(gateaudit), "--version"], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.startswith("gateaudit ")


def test_an_insecure_stack_fails_the_job_after_the_sarif_upload(installed, tmp_path, insecure_tf):
    job = scan_job(installed, workspace_with(tmp_path, insecure_tf), tmp_path, paths="infra")
    assert job.ran == ["Scan", "Upload SARIF to code scanning", "Gate"]
    assert job.outputs["scan"]["exit-code"] == "1"
    assert job.failed_with == 1
    assert "FAIL    GA101 aws_api_gateway_method.get  main.tf:12" in job.log  # the text report, in the log
    assert "::error title=gateaudit::failed" in job.log
    sarif = json.loads((job.workspace / "gateaudit.sarif").read_text())
    assert sarif["version"] == "2.1.0"
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in sarif["runs"][0]["results"]] == [("GA101", 12)]
    assert job.uses["github/codeql-action/upload-sarif@v3"] == {"sarif_file": "gateaudit.sarif",
                                                                 "category": "gateaudit"}
    assert "GA101" in (job.runner_temp / "summary.md").read_text()  # the Markdown report, in the job summary


def test_a_secure_stack_passes_and_still_uploads_its_empty_sarif(installed, tmp_path, secure_tf):
    job = scan_job(installed, workspace_with(tmp_path, secure_tf), tmp_path, paths="infra",
                   **{"sarif-file": "reports/code-scanning.sarif"})
    assert job.failed_with is None and job.outputs["scan"]["exit-code"] == "0"
    assert "gateaudit: passed" in job.log
    assert json.loads((job.workspace / "reports/code-scanning.sarif").read_text())["runs"][0]["results"] == []
    assert job.uses["github/codeql-action/upload-sarif@v3"]["sarif_file"] == "reports/code-scanning.sarif"


def test_upload_sarif_false_skips_the_upload_but_not_the_gate(installed, tmp_path, insecure_tf):
    job = scan_job(installed, workspace_with(tmp_path, insecure_tf), tmp_path, paths="infra",
                   **{"upload-sarif": "false", "job-summary": "false"})
    assert job.ran == ["Scan", "Gate"] and job.failed_with == 1
    assert not (job.runner_temp / "summary.md").exists()


def test_a_scan_that_cannot_be_trusted_fails_with_2_and_uploads_nothing(installed, tmp_path, insecure_tf):
    workspace = workspace_with(tmp_path, insecure_tf)
    (workspace / ".gateaudit.toml").write_text('fail-onn = "high"\n')  # a misspelt key: exit 2
    job = scan_job(installed, workspace, tmp_path, paths="infra")
    assert job.ran == ["Scan", "Gate"]
    assert job.failed_with == 2
    assert "unknown key 'fail-onn'" in job.log and "cannot be trusted" in job.log


@pytest.mark.parametrize(("inputs", "exit_code"), [
    ({"fail-on": "critical"}, "0"),  # GA101 is high
    ({"fail-on": "high"}, "1"),
    ({"args": "--no-config"}, "1"),  # the workspace config skips GA101; --no-config ignores it
    ({"paths": "infra\nsecure"}, "1"),  # several paths, one per line
    ({"paths": "secure"}, "0"),
], ids=["fail-on-critical", "fail-on-high", "args", "paths-on-lines", "paths-secure"])
def test_inputs_reach_the_command_line(installed, tmp_path, insecure_tf, secure_tf, inputs, exit_code):
    workspace = workspace_with(tmp_path, insecure_tf)
    shutil.copytree(secure_tf.parent, workspace / "secure")
    if "args" in inputs:
        (workspace / ".gateaudit.toml").write_text('skip-rules = ["GA101"]\n')
    inputs = {"paths": "infra", **inputs}
    job = scan_job(installed, workspace, tmp_path, **inputs)
    assert job.outputs["scan"]["exit-code"] == exit_code, job.log


def test_config_unknown_var_files_and_baseline_inputs(installed, tmp_path, unknown_tf, insecure_tf):
    workspace = workspace_with(tmp_path, unknown_tf)
    assert scan_job(installed, workspace, tmp_path / "a", paths="infra").failed_with == 1  # unknown fails
    assert scan_job(installed, workspace, tmp_path / "b", paths="infra", unknown="warn").failed_with is None

    (workspace / "none.tfvars").write_text('authorization = "NONE"\n')
    (workspace / "custom.tfvars").write_text('authorization = "CUSTOM"\n')
    job = scan_job(installed, workspace, tmp_path / "c", paths="infra", unknown="warn",
                   **{"var-files": "none.tfvars"})
    assert job.failed_with == 1 and "authorization is \"NONE\"" in job.log
    job = scan_job(installed, workspace, tmp_path / "d", paths="infra", **{"var-files": "none.tfvars custom.tfvars"})
    assert 'authorization is "CUSTOM" but authorizer_id is not set' in job.log  # the later var file wins

    (workspace / "gate.toml").write_text('skip-rules = ["GA101"]\n')
    assert scan_job(installed, workspace, tmp_path / "e", paths="infra", config="gate.toml").failed_with is None

    shutil.copyfile(insecure_tf, workspace / "infra" / "main.tf")
    subprocess.run([installed["gateaudit"], "baseline", "infra", "--output", "baseline.json"], cwd=workspace,
                   check=True, capture_output=True, timeout=120)
    job = scan_job(installed, workspace, tmp_path / "f", paths="infra", baseline="baseline.json")
    assert job.failed_with is None and "SUPPRESSED" in job.log.upper()
