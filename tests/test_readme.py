"""The README stays true: its commands exist and its rule table matches the rules."""

import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from gateaudit.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text()


def test_readme_starts_with_the_two_commands():
    first_block = README.split("```")[1]
    assert [line.split()[0:2] for line in first_block.strip().splitlines()[1:]] == [["make", "scan"],
                                                                                   ["make", "test"]]


def test_every_make_target_in_the_readme_exists():
    makefile = (ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z-]+):", makefile, re.MULTILINE))
    for target in re.findall(r"`make ([a-z-]+)`|^make ([a-z-]+)", README, re.MULTILINE):
        name = target[0] or target[1]
        assert name in targets, f"README mentions make {name}, which the Makefile lacks"


def test_readme_rule_table_matches_the_rules():
    rows = dict(re.findall(r"^\| (GA\d{3}) \| [^|]+ \| [^|]+ \| (.+?) \|$", README, re.MULTILINE))
    rules = {loaded.rule.id: loaded.rule.title for loaded in load_rules()}
    assert rows == rules


# --- "Using gateaudit as a CI gate": every block in it is run or checked against what it names ---------------

SECTION = README[README.index("## Using gateaudit as a CI gate"):]
SECTION = SECTION[:SECTION.index("\n## ")]
EPOCH = "1795651200"  # 2026-11-26: the examples' `until` dates are still ahead


def blocks(language: str, text: str = SECTION) -> list[str]:
    return [body for lang, body in re.findall(r"^```(\w*)\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
            if lang == language]


def commands(text: str) -> list[list[str]]:
    """The gateaudit command lines of the sh blocks in `text`, as argument lists without the program name."""
    found = []
    for block in blocks("sh", text):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if words and words[0] in ("gateaudit", ".venv/bin/gateaudit"):
                found.append(words[1:])
    return found


def gateaudit(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gateaudit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONIOENCODING": "utf-8"})


SUPPORT = '''resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_api_gateway_resource" "health" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "health"
}
'''


def walkthrough_folder(tmp_path: Path) -> Path:
    """A repository as the section describes it: Terraform in infra/ (its HCL example), its config at the top."""
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "api.tf").write_text(SUPPORT)
    [hcl] = blocks("hcl")
    (tmp_path / "infra" / "health.tf").write_text(hcl)
    [toml] = blocks("toml")
    (tmp_path / ".gateaudit.toml").write_text(toml)
    return tmp_path


def test_every_gateaudit_command_in_the_readme_parses():
    from gateaudit.cli import _parser

    found = commands(README)
    assert len(found) > 15
    for args in found:
        try:
            _parser().parse_args(args)
        except SystemExit as stop:
            raise AssertionError(f"README: gateaudit {' '.join(args)} is not a valid command line") from stop


def test_the_walkthrough_commands_run_as_written(tmp_path):
    folder = walkthrough_folder(tmp_path)
    ran = []
    for args in commands(SECTION):
        done = gateaudit(*args, cwd=folder)
        assert done.returncode in (0, 1), f"gateaudit {' '.join(args)}: exit {done.returncode}\n{done.stderr}"
        ran.append((args[0], "--baseline" in args, done.returncode))
    assert ("baseline", False, 0) in ran  # the baseline is written ...
    assert ("scan", True, 0) in ran  # ... and a scan against it passes
    assert (folder / ".gateaudit-baseline.json").is_file()


def test_the_text_report_excerpt_is_what_gateaudit_prints(tmp_path):
    [excerpt] = blocks("text")
    (tmp_path / "main.tf").write_text((ROOT / "tests/rules/GA101/fail_authorization_none.tf").read_text())
    assert excerpt in gateaudit("scan", ".", cwd=tmp_path).stdout


def test_the_config_example_is_valid_and_shows_every_key(tmp_path):
    from gateaudit import config

    [toml] = blocks("toml")
    document = tomllib.loads(toml)
    assert set(document) == config._TOP_KEYS
    assert set(document["exemptions"][0]) == config._EXEMPTION_KEYS
    folder = walkthrough_folder(tmp_path)
    done = gateaudit("scan", "infra", "--format", "json", cwd=folder)
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    assert report["settings"]["config_file"] == ".gateaudit.toml"
    assert report["fail_on"] == "high"
    assert not any(r["rule_id"] == "GA105" for r in report["results"])  # skip-rules took effect


def test_the_suppression_example_suppresses_and_the_reviewer_flags_undo_it(tmp_path):
    folder = walkthrough_folder(tmp_path)

    def health(*args: str) -> tuple[int, dict]:
        done = gateaudit("scan", "infra", "--format", "json", *args, cwd=folder)
        report = json.loads(done.stdout)
        [result] = [r for r in report["results"] if r["rule_id"] == "GA101"]
        return done.returncode, result

    code, result = health()
    assert (code, result["status"], result["resource"]) == (0, "suppressed", "aws_api_gateway_method.health")
    assert result["suppression"] == {"source": "inline", "reason": "public health check: returns 200 and no data",
                                     "file": "health.tf", "line": 1, "until": "2027-03-31"}
    assert health("--no-inline-suppressions")[0] == 1
    assert health("--no-inline-suppressions")[1]["status"] == "failed"
    assert health("--fail-on-suppressions")[0] == 1


def test_the_ci_examples_use_only_what_the_integrations_declare():
    from gateaudit.cli import _parser

    pre_commit, workflow, gitlab = (yaml.safe_load(block) for block in blocks("yaml"))
    hooks = {hook["id"] for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    for hook in pre_commit["repos"][0]["hooks"]:
        assert hook["id"] in hooks
        _parser().parse_args(["scan", *hook["args"]])

    action = yaml.safe_load((ROOT / "action.yml").read_text())
    [step] = [s for s in workflow["jobs"]["gateaudit"]["steps"] if s["uses"].startswith("your-org/gateaudit@")]
    assert set(step["with"]) <= set(action["inputs"])
    assert "security-events" in workflow["permissions"]

    template = yaml.safe_load((ROOT / "ci/gitlab/gateaudit.gitlab-ci.yml").read_text())
    assert gitlab["include"][0]["remote"].endswith("/ci/gitlab/gateaudit.gitlab-ci.yml")
    assert gitlab["gateaudit"]["extends"] in template
    assert set(gitlab["gateaudit"]["variables"]) <= set(template[".gateaudit"]["variables"])
    _parser().parse_args(["scan", *shlex.split(gitlab["gateaudit"]["variables"]["GATEAUDIT_ARGS"])])


def test_the_action_input_table_matches_action_yml():
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    rows = re.findall(r"^\| `([a-z-]+)` \| ", SECTION, re.MULTILINE)
    assert rows == list(action["inputs"])


# --- Every command of every sh block runs as written, where this machine can run it -----------------------------
#
# A command whose comment starts with "template" stands for something the reader fills in (where gateaudit is
# kept): it is not run, and the test that owns its block says what stands in for it.

SH_ENV = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONIOENCODING": "utf-8"}
TEMPLATE = re.compile(r"#\s*template\b")


def sh_blocks_by_heading() -> dict[str, list[str]]:
    """The lines of the sh blocks under each heading (`# gateaudit`, `## Reports`, `### 1. Install` ...)."""
    found: dict[str, list[str]] = {}
    heading = ""
    for part in re.split(r"^(```\w*\n.*?^```)", README, flags=re.MULTILINE | re.DOTALL):
        if part.startswith("```sh\n"):
            found.setdefault(heading, []).extend(line for line in part.splitlines()[1:-1] if line.strip())
        elif part.startswith("```"):
            continue
        else:
            headings = re.findall(r"^#+ (.+)$", part, re.MULTILINE)
            heading = headings[-1] if headings else heading
    return found


SH = sh_blocks_by_heading()
RUN_BY = {  # heading -> the test that runs its block
    "gateaudit": "test_make_scan_runs_as_written",
    "Scanning your own Terraform": "test_the_scanning_and_reports_commands_run_as_written",
    "Reports": "test_the_scanning_and_reports_commands_run_as_written",
    "Scan a plan": "test_the_plan_commands_run_as_written",
    "Audit a deployed account": "test_the_audit_commands_run_as_written",
    "Find drift": "test_the_drift_commands_run_as_written",
    "Checkov side by side": "test_the_checkov_commands_run_as_written",
    "1. Install": "test_the_install_commands_run_as_written",
    "2. First scan": "test_the_walkthrough_commands_run_as_written",
    "3. Roll it out: warn first, then block": "test_the_walkthrough_commands_run_as_written",
    "5. Inline suppressions": "test_the_walkthrough_commands_run_as_written",
    "6. Baselines": "test_the_walkthrough_commands_run_as_written",
}


def test_every_sh_block_is_run_by_a_test():
    assert set(SH) == set(RUN_BY), "a README sh block that no test runs, or a test for a block that is gone"
    for heading, test in RUN_BY.items():
        assert test in globals(), test
        if test == "test_the_walkthrough_commands_run_as_written":  # it runs the gateaudit lines: all of them
            assert all(shlex.split(line, comments=True)[0] == "gateaudit" for line in SH[heading]), heading
    writers = [line for heading, lines in SH.items() if heading != "gateaudit" for line in lines if "build/" in line]
    assert writers == [], "build/ is make scan's: a README example writing there mixes its reports with make scan's"
    templates = [line for lines in SH.values() for line in lines if TEMPLATE.search(line)]
    assert templates == [line for line in SH["1. Install"] if line.startswith("git clone ")]


def run_sh(line: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["/bin/sh", "-c", line], cwd=cwd, capture_output=True, text=True, timeout=600, env=SH_ENV)


def root_venv_or_skip() -> None:
    """The repository's own .venv, installed and up to date: otherwise make would install it (a network)."""
    up_to_date = subprocess.run(["make", "-q", ".venv/.installed"], cwd=ROOT, capture_output=True, timeout=60)
    if not (ROOT / ".venv" / "bin" / "gateaudit").exists() or up_to_date.returncode != 0:
        pytest.skip("the repository's .venv is not installed and up to date (`make install`)")


def test_make_scan_runs_as_written():
    root_venv_or_skip()
    make_scan, make_test = SH["gateaudit"]
    assert make_test.startswith("make test ")  # not run here: it runs this test suite
    done = run_sh(make_scan, ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "PASS: " in done.stdout and "reports: build/reports/gateaudit." in done.stdout
    assert (ROOT / "build" / "reports" / "seed" / "gateaudit.html").is_file()


TEAM_RULE = '''
from gateaudit.result import Severity
from gateaudit.rules import Rule

RULE = Rule(id="TEAM001", control="team", severity=Severity.MEDIUM, title="APIs have a description",
            rationale="A described API is one someone owns.", remediation="Add a description.")


def check(stack):
    for api in stack.resources("aws_api_gateway_rest_api"):
        yield RULE.passed(api) if api.has("description") else RULE.failed(api, "description is not set")
'''


def test_the_scanning_and_reports_commands_run_as_written(tmp_path):
    """In a folder shaped as the commands assume: Terraform in path/to/terraform and infra, prod.tfvars, a rule in
    team-rules, and .venv/bin/gateaudit (the install of `make scan`, or of the Install section)."""
    (tmp_path / "path" / "to" / "terraform").mkdir(parents=True)
    (tmp_path / "path" / "to" / "terraform" / "main.tf").write_text(
        (ROOT / "tests/rules/GA101/fail_authorization_none.tf").read_text())
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "main.tf").write_text(SUPPORT + 'variable "stage" {\n  type = string\n}\n')
    (tmp_path / "prod.tfvars").write_text('stage = "prod"\n')
    (tmp_path / "team-rules").mkdir()
    (tmp_path / "team-rules" / "team_rule.py").write_text(TEAM_RULE)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    program = tmp_path / ".venv" / "bin" / "gateaudit"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gateaudit "$@"\n')
    program.chmod(0o755)
    for line in [*SH["Scanning your own Terraform"], *SH["Reports"]]:
        done = run_sh(line, tmp_path)
        scans = shlex.split(line, comments=True)[1] == "scan"
        assert done.returncode in ((0, 1) if scans else (0,)), f"{line}: exit {done.returncode}\n{done.stderr}"
        assert "gateaudit: error" not in done.stderr, f"{line}\n{done.stderr}"
    assert json.loads((tmp_path / "gateaudit.json").read_text())["tool"] == "gateaudit"
    assert sorted(p.name for p in (tmp_path / "gateaudit-reports").iterdir()) == ["gateaudit.html", "gateaudit.sarif",
                                                                                 "gateaudit.xml"]


OFFLINE_PROVIDER = '''terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.100"
    }
  }
}

# Credentials from the environment; nothing here asks AWS anything at plan time.
provider "aws" {
  region                      = "eu-west-1"
  skip_credentials_validation = true
  skip_metadata_api_check     = true
  skip_requesting_account_id  = true
}
'''


def test_the_plan_commands_run_as_written(tmp_path, capsys):
    """terraform init, plan and show -json of a folder whose route is open, then the scan of the plan: the route
    fails at its line in the configuration beside the plan."""
    spec = importlib.util.spec_from_file_location("readme_offline_terraform", ROOT / "tests" / "stack" / "conftest.py")
    offline = sys.modules.setdefault(spec.name, importlib.util.module_from_spec(spec))
    spec.loader.exec_module(offline)  # the stack tests' offline Terraform helpers: the mirror, the CLI config
    cli_config, mirror = offline.cli_config, offline.find_provider_mirror()
    if shutil.which("terraform") is None or mirror is None:
        with capsys.disabled():
            print("\nskipped: terraform or its offline hashicorp/aws mirror is missing (see tests/stack/conftest.py)")
        pytest.skip("terraform or the offline hashicorp/aws mirror is missing")
    (tmp_path / "offline.tfrc").write_text(cli_config(mirror))
    (tmp_path / "infra").mkdir()
    (tmp_path / "infra" / "versions.tf").write_text(OFFLINE_PROVIDER)
    (tmp_path / "infra" / "main.tf").write_text(
        (ROOT / "tests/rules/GA101/fail_authorization_none.tf").read_text())
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    program = tmp_path / ".venv" / "bin" / "gateaudit"
    program.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m gateaudit "$@"\n')
    program.chmod(0o755)
    env = {**SH_ENV, "TF_CLI_CONFIG_FILE": str(tmp_path / "offline.tfrc"), "TF_IN_AUTOMATION": "1",
           "CHECKPOINT_DISABLE": "1", "AWS_ACCESS_KEY_ID": "mock", "AWS_SECRET_ACCESS_KEY": "mock"}
    *terraform, scan = SH["Scan a plan"]
    for line in terraform:
        done = subprocess.run(["/bin/sh", "-c", line], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                              env=env)
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
    done = subprocess.run(["/bin/sh", "-c", scan + " --format json --no-cache"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120, env=SH_ENV)
    assert done.returncode == 1, done.stderr
    failed = [(r["rule_id"], r["file"]) for r in json.loads(done.stdout)["results"] if r["status"] == "failed"]
    assert ("GA101", "main.tf") in failed


def test_the_audit_commands_run_as_written(moto_endpoint, monkeypatch, tmp_path):
    """The audit lines against a moto account holding the reference REST stack in eu-west-1, run in this process
    (the moto server lacks two calls the audit makes: tests/audit/_moto.py completes them here), then the scan of
    the snapshot they wrote."""
    import boto3

    from gateaudit.cli import main

    from .audit._moto import open_account, rest_stack

    open_account(moto_endpoint, monkeypatch, tmp_path)
    stack = rest_stack(boto3.Session(region_name="eu-west-1"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    codes = []
    for line in SH["Audit a deployed account"]:
        program, *args = shlex.split(line)
        assert program == ".venv/bin/gateaudit"
        codes.append(main(args))
    assert codes == [1, 1, 1]  # the code rules are unknown: the account shows no code
    snapshot = json.loads((work / "gateaudit-account.json").read_text())
    assert [t["region"] for t in snapshot["gateaudit_account"]["targets"]] == ["eu-west-1", "us-east-1"]
    assert (work / "gateaudit-account.json").stat().st_mode & 0o077 == 0  # it holds functions' environments
    sarif = json.loads((work / "audit.sarif").read_text())  # what blocks: here the code rules' unknowns
    unknown = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert unknown == {"GA107", "GA108", "GA109", "GA110", "GA209", "GA407"}
    assert all(stack.authorizer_arn in json.dumps(r) for r in sarif["runs"][0]["results"])


def test_the_drift_commands_run_as_written(moto_endpoint, monkeypatch, tmp_path):
    """The drift lines from a copy of the repository's top: against an empty moto account in eu-west-1 (every
    block of the reference REST stack is "in the code, not deployed"), then against the snapshot of that stack
    applied to moto (tests/drift/states/rest_account.json stands in for the snapshot an audit of it writes):
    nothing drifted."""
    from gateaudit.cli import main

    from .audit._moto import open_account

    open_account(moto_endpoint, monkeypatch, tmp_path)
    work = tmp_path / "work"
    for folder in ("terraform", "build"):
        shutil.copytree(ROOT / "stack" / folder, work / "stack" / folder)
    monkeypatch.chdir(work)
    empty, applied = SH["Find drift"]
    assert main([*shlex.split(empty)[1:], "--format", "json", "--output", "empty.json"]) == 1
    missing = json.loads((work / "empty.json").read_text())["results"]
    assert missing and all(r["status"] == "failed" and "in the code, not deployed" in r["message"] for r in missing
                           if r["rule_id"] in ("GD100", "GD101", "GD103"))
    snapshot = json.loads((work / "gateaudit-account.json").read_text())
    assert snapshot["gateaudit_account"]["targets"][0]["region"] == "eu-west-1"
    shutil.copy(ROOT / "tests/drift/states/rest_account.json", work / "gateaudit-account.json")
    assert main(shlex.split(applied)[1:]) == 0
    results = json.loads((work / "drift.json").read_text())["results"]
    assert {r["rule_id"] for r in results} >= {"GD101", "GD103", "GD301", "GD401", "GD402", "GD403"}
    assert {r["status"] for r in results} == {"passed"}


def test_the_checkov_commands_run_as_written():
    root_venv_or_skip()
    [version] = re.findall(r"^CHECKOV_VERSION\s*:=\s*(\S+)", (ROOT / "Makefile").read_text(), re.MULTILINE)
    if not (ROOT / ".venv-checkov" / f".installed-{version}").exists():
        pytest.skip("`make checkov` has not built .venv-checkov here (it downloads about 500 MB; make test builds it)")
    expected = {"make": 0, ".venv/bin/gateaudit": 1, ".venv/bin/python": 0}  # the seed example fails, as it should
    for line in SH["Checkov side by side"]:
        done = run_sh(line, ROOT)
        assert done.returncode == expected[line.split()[0]], f"{line}: exit {done.returncode}\n{done.stderr}"


def index_or_skip(tmp_path: Path) -> None:
    """pip reaches a package index, asked apart from the install under test: a failing install is then the
    install's fault, never taken for a missing network (a dependency pinned to no release says the same)."""
    probe = subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-cache-dir",
                            "--dest", str(tmp_path / "probe"), "setuptools"], capture_output=True, text=True,
                           timeout=300, env=SH_ENV)
    if probe.returncode != 0:
        pytest.skip(f"pip cannot reach a package index from here: {(probe.stderr.strip() or '?').splitlines()[-1]}")


def test_the_install_commands_run_as_written(tmp_path):
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: there is nothing to clone")
    index_or_skip(tmp_path)
    [clone, *install] = SH["1. Install"]
    assert TEMPLATE.search(clone) and clone.startswith("git clone ")
    subprocess.run(["git", "clone", "--quiet", str(ROOT), "gateaudit"], cwd=tmp_path, check=True, timeout=300)
    script = "\n".join(["set -e", *install, "gateaudit --version"])  # one shell: `. .venv/bin/activate` must hold
    done = subprocess.run(["/bin/sh", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=900,
                          env={name: value for name, value in SH_ENV.items() if name != "VIRTUAL_ENV"})
    assert done.returncode == 0, done.stdout + done.stderr
    from gateaudit import __version__

    assert done.stdout.splitlines()[-1] == f"gateaudit {__version__}"
    assert (tmp_path / ".venv" / "bin" / "gateaudit").is_file()


def test_no_snippet_pins_a_gateaudit_release_that_does_not_exist():
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: no tags to compare with")
    tags = set(subprocess.run(["git", "tag"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split())
    for name in ("README.md", ".pre-commit-hooks.yaml", "ci/gitlab/gateaudit.gitlab-ci.yml", "action.yml"):
        text = (ROOT / name).read_text()
        pins = re.findall(r"your-org/gateaudit(?:\.git)?[@/]([^/\s\"`]+(?: commit SHA>)?)", text)
        pins += re.findall(r"\brev: ([^#\n]+?)\s*(?:#|$)", text, re.MULTILINE)
        for pin in pins:
            assert pin == "<full commit SHA>" or pin in tags, f"{name}: {pin} is not a tag of this repository"
