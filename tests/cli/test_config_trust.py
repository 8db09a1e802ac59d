"""The config a pull request cannot bend (issue 13): the repository root's config and above, or --config,
decide the gate; a config file inside the scanned tree is not applied, and every report says so. Expiry
dates are judged against the real date, exemptions can fail the gate, and an unused suppression is named."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

OPEN = '''resource "aws_api_gateway_rest_api" "api" {
  name = "a"
}

{comment}
resource "aws_api_gateway_method" "health" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}
'''
# Everything a change under review would like its own config to say.
LENIENT = '''fail-on = "critical"
unknown = "pass"
skip-rules = ["GA101", "GA102"]
inline-suppressions = true

[[exemptions]]
resources = "*"
reason = "trust me"
'''


def gateaudit(*args: str, cwd: Path, **env: str) -> tuple[int, dict, str]:
    done = subprocess.run([sys.executable, "-m", "gateaudit", *args, "--format", "json"], cwd=cwd,
                          capture_output=True, text=True, timeout=120, env={**os.environ, **env})
    return done.returncode, json.loads(done.stdout) if done.stdout.strip() else {}, done.stderr


def repository(tmp_path: Path, comment: str = "", git: bool = True) -> Path:
    root = tmp_path / "repository"
    (root / "infra").mkdir(parents=True)
    if git:
        (root / ".git").mkdir()
    (root / "infra" / "main.tf").write_text(OPEN.replace("{comment}", comment))
    return root


def method(report: dict) -> dict:
    return next(r for r in report["results"] if r["rule_id"] == "GA101")


@pytest.mark.parametrize("name, text", [(".gateaudit.toml", LENIENT),
                                        ("pyproject.toml", "[tool.gateaudit]\n" + LENIENT.replace(
                                            "[[exemptions]]", "[[tool.gateaudit.exemptions]]"))])
@pytest.mark.parametrize("git", [True, False])
def test_a_config_inside_the_scanned_tree_is_not_applied_and_every_report_says_so(tmp_path, name, text, git):
    root = repository(tmp_path, git=git)
    (root / "infra" / name).write_text(text)
    code, report, stderr = gateaudit("scan", "infra", cwd=root)
    assert code == 1, stderr
    assert method(report)["status"] == "failed"
    assert report["settings"]["config_file"] is None
    assert report["warnings"] == [{"file": name, "line": None, "message": (
        "a config file inside the scanned tree is not applied: only the config at the repository root "
        f"({root}) and above, or --config, decide the gate")}]
    assert f"warning: {name}: a config file inside the scanned tree is not applied" in stderr
    for format_name, shown in (("text", f"WARNING {name}: a config file"), ("markdown", "Warnings: 1"),
                               ("html", "a config file inside the scanned tree is not applied"),
                               ("junit", 'classname="gateaudit.warnings"'), ("sarif", '"level": "warning"')):
        done = subprocess.run([sys.executable, "-m", "gateaudit", "scan", "infra", "--format", format_name],
                              cwd=root, capture_output=True, text=True, timeout=120)
        assert shown in done.stdout, format_name


def test_strict_config_makes_a_config_inside_the_tree_an_error(tmp_path):
    root = repository(tmp_path)
    (root / "infra" / "deeper").mkdir()
    (root / "infra" / "deeper" / ".gateaudit.toml").write_text(LENIENT)
    code, report, stderr = gateaudit("scan", "infra", "--strict-config", cwd=root)
    assert code == 2
    assert "deeper/.gateaudit.toml: a config file inside the scanned tree is not applied" in stderr
    assert report["errors"][0]["file"] == "deeper/.gateaudit.toml"


def test_the_config_at_the_repository_root_or_above_applies_from_any_current_folder(tmp_path):
    root = repository(tmp_path)
    (root / ".gateaudit.toml").write_text('fail-on = "critical"\n')
    for cwd, path in ((root, "infra"), (root / "infra", ".")):
        code, report, _ = gateaudit("scan", path, cwd=cwd)
        assert code == 0 and report["settings"]["config_file"].endswith(".gateaudit.toml"), cwd
        assert report["warnings"] == []
    (root / ".gateaudit.toml").unlink()
    (tmp_path / ".gateaudit.toml").write_text('fail-on = "critical"\n')  # above the root
    assert gateaudit("scan", "infra", cwd=root)[0] == 0


def test_a_config_between_the_scanned_path_and_the_root_is_not_applied_either(tmp_path):
    root = repository(tmp_path)
    (root / "infra" / "api").mkdir()
    (root / "infra" / "main.tf").rename(root / "infra" / "api" / "main.tf")
    (root / "infra" / ".gateaudit.toml").write_text(LENIENT)
    code, report, _ = gateaudit("scan", "infra/api", cwd=root)
    assert code == 1
    assert [w["file"] for w in report["warnings"]] == ["../.gateaudit.toml"]  # as files outside the path show


def test_a_config_named_on_the_command_line_is_trusted_wherever_it_is(tmp_path):
    root = repository(tmp_path)
    (root / "infra" / "gate.toml").write_text('fail-on = "critical"\n')
    code, report, _ = gateaudit("scan", "infra", "--config", "infra/gate.toml", cwd=root)
    assert code == 0 and report["settings"]["config_file"] == "infra/gate.toml"


SUPPRESSED_UNTIL_2021 = '# gateaudit:ignore GA101 reason="until the WAF lands" until=2021-01-01'
EPOCH_2020 = "1590969600"  # 2020-06-01


def test_source_date_epoch_dates_the_report_but_not_the_expiry(tmp_path):
    root = repository(tmp_path, SUPPRESSED_UNTIL_2021)
    code, report, _ = gateaudit("scan", "infra", cwd=root, SOURCE_DATE_EPOCH=EPOCH_2020)
    assert report["generated_at"] == "2020-06-01T00:00:00Z"
    assert code == 1 and method(report)["status"] == "failed"
    assert "expired on 2021-01-01" in method(report)["message"]


def test_today_given_on_the_command_line_decides_the_expiry(tmp_path):
    root = repository(tmp_path, SUPPRESSED_UNTIL_2021)
    code, report, _ = gateaudit("scan", "infra", "--today", "2020-06-01", cwd=root)
    assert code == 0 and method(report)["status"] == "suppressed"
    assert report["settings"]["today"] == "2020-06-01"
    assert gateaudit("scan", "infra", "--today", "June 1st", cwd=root)[0] == 2


def test_fail_on_exemptions_counts_config_exemptions(tmp_path):
    root = repository(tmp_path)
    (root / ".gateaudit.toml").write_text('[[exemptions]]\nresources = "aws_api_gateway_method.health"\n'
                                          'reason = "public health check"\n')
    code, report, _ = gateaudit("scan", "infra", cwd=root)
    assert code == 0 and method(report)["status"] == "suppressed"
    code, report, _ = gateaudit("scan", "infra", "--fail-on-suppressions", cwd=root)
    assert code == 0  # inline suppressions only
    code, report, _ = gateaudit("scan", "infra", "--fail-on-exemptions", cwd=root)
    assert code == 1 and method(report)["status"] == "suppressed"
    assert report["settings"]["fail_on_exemptions"] is True


def test_unused_suppressions_and_exemptions_are_warned_about(tmp_path):
    root = repository(tmp_path, '# gateaudit:ignore GA101 reason="public health check"')
    (root / "infra" / "closed.tf").write_text(
        '# gateaudit:ignore GA101 reason="left over"\n' + OPEN.replace("{comment}", "")
        .replace('"NONE"', '"AWS_IAM"').replace('"api"', '"closed"').replace(".api.", ".closed.")
        .replace('"health"', '"private"'))
    (root / ".gateaudit.toml").write_text('[[exemptions]]\nresources = "module.legacy.*"\nrules = ["GA401"]\n'
                                          'reason = "old ELK"\n')
    code, report, _ = gateaudit("scan", "infra", cwd=root)
    assert code == 0
    assert report["warnings"] == [
        {"file": None, "line": None,
         "message": '.gateaudit.toml: exemption #1 (resources = "module.legacy.*", rules GA401) matches no failed '
                    "or unknown result: remove it"},
        {"file": "closed.tf", "line": 1,
         "message": "gateaudit:ignore GA101 suppresses no failed or unknown result: remove it"},
    ]


REMOTE = 'module "api" {\n  source  = "terraform-aws-modules/apigateway-v2/aws"\n  version = "~> 5.0"\n}\n'


def test_a_module_nobody_read_is_unknown_in_every_control_unless_allowed(tmp_path):
    root = repository(tmp_path)
    (root / "infra" / "main.tf").write_text(REMOTE)
    code, report, _ = gateaudit("scan", "infra", cwd=root)
    assert code == 1  # nothing else in the tree, yet no pass: the module was not read
    gaps = sorted((r["rule_id"], r["control"], r["status"], r["resource"], r["line"]) for r in report["results"])
    assert gaps == [("GA100", "authorizer-attached", "unknown", "module.api", 1),
                    ("GA200", "secret-not-hardcoded", "unknown", "module.api", 1),
                    ("GA300", "scoped-permission", "unknown", "module.api", 1),
                    ("GA400", "logging-enabled", "unknown", "module.api", 1)]
    assert all(c["nothing_in_scope"] is None for c in report["controls"])
    assert "module.api (terraform-aws-modules/apigateway-v2/aws) was not scanned: run `terraform init` first" in \
        report["results"][0]["message"]
    code, report, _ = gateaudit("scan", "infra", "--allow-unscanned-modules", cwd=root)
    assert code == 0
    assert {r["status"] for r in report["results"]} == {"suppressed"}
    assert report["results"][0]["suppression"]["source"] == "command-line"


def test_a_pyproject_in_the_tree_is_never_read_through_a_link_or_a_pipe(tmp_path):
    root = repository(tmp_path)
    outside = tmp_path / "elsewhere.toml"  # outside the repository root: gateaudit must not open it
    outside.write_text("[tool.gateaudit]\n" + LENIENT.replace("[[exemptions]]", "[[tool.gateaudit.exemptions]]"))
    outside.chmod(0)  # were it opened, the read would fail (not as root; the pipe below holds as root too)
    (root / "infra" / "pyproject.toml").symlink_to(outside)
    (root / "infra" / "deeper").mkdir()
    os.mkfifo(root / "infra" / "deeper" / "pyproject.toml")  # opened blocking, it would hang the scan
    code, report, stderr = gateaudit("scan", "infra", cwd=root)
    assert code == 1, stderr
    assert report["warnings"] == [] and method(report)["status"] == "failed"


@pytest.mark.parametrize("make", ["file", "dangling link", "link to a folder"])
def test_a_config_below_the_scanned_path_is_named_whatever_it_is(tmp_path, make):
    root = repository(tmp_path)
    deeper = root / "infra" / "team" / "api"
    deeper.mkdir(parents=True)
    config = deeper / ".gateaudit.toml"
    if make == "file":
        config.write_text(LENIENT)
    elif make == "dangling link":
        config.symlink_to(tmp_path / "nowhere.toml")
    else:
        config.symlink_to(deeper)
    (deeper / "pyproject.toml").write_text("[tool.gateaudit]\nfail-on = \"critical\"\n")
    code, report, stderr = gateaudit("scan", "infra", cwd=root)
    assert code == 1, stderr
    assert [warning["file"] for warning in report["warnings"]] == ["team/api/.gateaudit.toml",
                                                                  "team/api/pyproject.toml"]
