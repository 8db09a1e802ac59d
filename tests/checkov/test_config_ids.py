"""Checkov's check ids in the config and in comments, as a team running both tools writes them."""

from __future__ import annotations

import json
from pathlib import Path

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


def stack(folder: Path, config: str, comment: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text(OPEN.replace("{comment}", comment))
    (folder / ".gateaudit.toml").write_text(config)
    return folder


def scan(run_cli, folder: Path, *args: str) -> tuple[int, dict, str]:
    done = run_cli("scan", str(folder), "--format", "json", *args)
    return done.returncode, json.loads(done.stdout) if done.stdout else {}, done.stderr


def test_skip_rules_and_severity_apply_to_checkovs_checks(run_cli, real_checkov, tmp_path):
    plain = stack(tmp_path / "plain", "")
    _, report, _ = scan(run_cli, plain, "--checkov", str(real_checkov))
    assert {r["rule_id"] for r in report["results"]} >= {"CKV_AWS_59", "CKV2_AWS_70"}
    tuned = stack(tmp_path / "tuned", 'skip-rules = ["CKV_AWS_59"]\n\n[severity]\nCKV2_AWS_70 = "critical"\n')
    code, report, stderr = scan(run_cli, tuned, "--checkov", str(real_checkov))
    assert code == 1, stderr
    assert "CKV_AWS_59" not in {r["rule_id"] for r in report["results"]} | {r["id"] for r in report["rules"]}
    [check] = [r for r in report["results"] if r["rule_id"] == "CKV2_AWS_70"]
    assert check["severity"] == "critical"


def test_a_config_and_comments_naming_checkov_checks_work_without_checkov_too(run_cli, tmp_path):
    config = ('skip-rules = ["CKV_AWS_59"]\n\n[severity]\nCKV2_AWS_70 = "low"\n\n[[exemptions]]\n'
              'resources = "*"\nrules = ["CKV_SECRET_6"]\nreason = "test keys only"\n')
    folder = stack(tmp_path, config, comment='# gateaudit:ignore CKV_AWS_59 reason="public health check"')
    code, report, stderr = scan(run_cli, folder)
    assert code == 1 and "error" not in stderr  # GA101 fails the open method; nothing is a setup error
    assert {r["rule_id"] for r in report["results"] if r["status"] == "failed"} == {"GA101"}


def test_names_that_are_neither_a_rule_nor_a_checkov_check_are_still_errors(run_cli, tmp_path):
    for config, words in (('skip-rules = ["CKV_TYPO"]\n', "CKV_TYPO is not a rule"),
                          ('[severity]\nckv_aws_59 = "low"\n', "ckv_aws_59 is not a rule"),
                          ('[rules.CKV_AWS_59]\nheader = "x"\n', "CKV_AWS_59 is not a rule with options")):
        code, _, stderr = scan(run_cli, stack(tmp_path, config))
        assert code == 2 and words in stderr, (config, stderr)
    code, _, stderr = scan(run_cli, stack(tmp_path, "", comment='# gateaudit:ignore CKV_X reason="y"'))
    assert code == 2 and "names CKV_X, which is not a rule" in stderr
