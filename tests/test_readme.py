"""The README stays true: its commands exist and its rule table matches the rules."""

import json
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

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
