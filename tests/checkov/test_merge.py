"""The real Checkov (pinned, in `.venv-checkov/`) run by `gateaudit scan --with-checkov`: its results merged into
the one report, every format rendering them, and the gate counting them. Skipped where the venv is absent."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from gateaudit.reports import FORMATS

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "reports" / "schema" / "gateaudit-report.schema.json").read_text())


def scan(run_cli, checkov: Path, *args: str, cwd: Path | None = None):
    done = run_cli("scan", *args, "--format", "json", "--no-config", "--checkov", str(checkov), cwd=cwd)
    report = json.loads(done.stdout)
    jsonschema.validate(report, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert report["exit_code"] == done.returncode, done.stderr
    return report


def results(report: dict, **match) -> list[dict]:
    return [r for r in report["results"] if all(r[key] == value for key, value in match.items())]


def test_the_seed_gets_checkovs_results_beside_ours_on_the_same_blocks(run_cli, real_checkov):
    report = scan(run_cli, real_checkov, "stack/examples/seed")
    assert report["exit_code"] == 1
    [ours] = results(report, rule_id="GA101", resource="aws_api_gateway_method.items_get")
    [theirs] = results(report, rule_id="CKV_AWS_59", resource="aws_api_gateway_method.items_get")
    assert (theirs["source"], ours["source"]) == ("checkov", "gateaudit")
    assert (theirs["file"], theirs["line"]) == (ours["file"], ours["line"]) == ("main.tf", 44)
    assert (theirs["status"], theirs["control"], theirs["severity"]) == ("failed", "authorizer-attached", "high")
    assert theirs["message"] == "Ensure there is no open access to back-end resources through API"
    [permission] = results(report, rule_id="CKV_AWS_364")
    assert (permission["resource"], permission["status"], permission["control"]) == (
        "aws_lambda_permission.apigw", "failed", "scoped-permission")
    assert results(report, source="checkov", control="other", status="failed")  # X-Ray, caching, WAF...
    assert "other" in [c["id"] for c in report["controls"]]
    rule_ids = {rule["id"] for rule in report["rules"]}
    assert {r["rule_id"] for r in results(report, source="checkov")} <= rule_ids
    [rule] = [rule for rule in report["rules"] if rule["id"] == "CKV_AWS_59"]
    assert rule["title"] == theirs["message"] and rule["mappings"] == {}


def test_every_format_renders_the_merged_report(run_cli, real_checkov, tmp_path):
    formats = [arg for name in FORMATS for arg in ("--format", name)]
    done = run_cli("scan", "stack/examples/seed", "--no-config", "--checkov", str(real_checkov), *formats,
                   "--output-dir", str(tmp_path))
    assert done.returncode == 1, done.stderr
    for name, (_, extension) in FORMATS.items():
        text = (tmp_path / f"gateaudit.{extension}").read_text().replace("\\_", "_")  # Markdown escapes _
        assert "CKV_AWS_59" in text, name


def test_module_resources_carry_the_module_address_and_the_module_file(run_cli, real_checkov):
    report = scan(run_cli, real_checkov, "tests/rules/GA101/fail_via_module")
    [theirs] = results(report, rule_id="CKV_AWS_59")
    [ours] = results(report, rule_id="GA101")
    assert theirs["resource"] == ours["resource"] == "module.search.aws_api_gateway_method.this"
    assert theirs["file"] == ours["file"] == "modules/method/main.tf"
    assert theirs["line"] == ours["line"]


def test_several_paths_keep_files_apart(run_cli, real_checkov):
    report = scan(run_cli, real_checkov, "stack/examples/seed", "tests/rules/GA101/fail_via_module")
    files = {r["file"] for r in results(report, rule_id="CKV_AWS_59")}
    assert files == {"stack/examples/seed/main.tf", "tests/rules/GA101/fail_via_module/modules/method/main.tf"}


def test_the_gate_counts_checkovs_failures_like_ours(run_cli, real_checkov):
    alone = run_cli("scan", "stack/terraform", "--no-config")
    assert alone.returncode == 0, alone.stdout
    report = scan(run_cli, real_checkov, "stack/terraform")
    assert report["exit_code"] == 1
    failed = results(report, status="failed")
    assert failed and {r["source"] for r in failed} == {"checkov"}
    assert {(r["control"], r["severity"]) for r in failed} == {("other", "low")}  # hardening outside our controls
    assert scan(run_cli, real_checkov, "stack/terraform", "--fail-on", "medium")["exit_code"] == 0


METHOD = '''variable "authorization" {
  type    = string
  default = "AWS_IAM"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_api_gateway_method" "get" {
  #checkov:skip=CKV2_AWS_53:the backend validates every request
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = var.authorization
}
'''


def test_a_checkov_skip_comment_is_a_suppression_with_its_reason(run_cli, real_checkov, tmp_path):
    (tmp_path / "main.tf").write_text(METHOD)
    report = scan(run_cli, real_checkov, str(tmp_path))
    [skipped] = results(report, rule_id="CKV2_AWS_53")
    assert skipped["status"] == "suppressed"
    assert skipped["suppression"]["reason"] == "checkov:skip: the backend validates every request"
    assert (skipped["resource"], skipped["line"]) == ("aws_api_gateway_method.get", 10)


def test_var_files_reach_checkov_too(run_cli, real_checkov, tmp_path):
    (tmp_path / "main.tf").write_text(METHOD)
    (tmp_path / "open.tfvars").write_text('authorization = "NONE"\n')
    [closed] = results(scan(run_cli, real_checkov, str(tmp_path)), rule_id="CKV_AWS_59")
    [opened] = results(scan(run_cli, real_checkov, str(tmp_path), "--var-file", str(tmp_path / "open.tfvars")),
                       rule_id="CKV_AWS_59")
    assert (closed["status"], opened["status"]) == ("passed", "failed")


def test_a_file_checkov_cannot_parse_is_an_error_with_the_file(run_cli, real_checkov, tmp_path):
    (tmp_path / "main.tf").write_text(METHOD)
    (tmp_path / "broken.tf").write_text('resource "aws_api_gateway_method" "m" {\n  rest_api_id = \n')
    done = run_cli("scan", str(tmp_path), "--format", "json", "--checkov", str(real_checkov))
    assert done.returncode == 2
    errors = json.loads(done.stdout)["errors"]
    assert {"file": "broken.tf", "line": None,
            "message": "Checkov could not parse this file (its report lists it under parsing_errors)"} in errors


def test_a_gateaudit_ignore_comment_can_accept_a_checkov_finding_with_a_reason(run_cli, real_checkov, tmp_path):
    comment = '# gateaudit:ignore CKV2_AWS_53 reason="the backend validates every request"\n'
    text = METHOD.replace("  #checkov:skip=CKV2_AWS_53:the backend validates every request\n", "").replace(
        'resource "aws_api_gateway_method"', comment + 'resource "aws_api_gateway_method"')
    (tmp_path / "main.tf").write_text(text)
    [accepted] = results(scan(run_cli, real_checkov, str(tmp_path)), rule_id="CKV2_AWS_53")
    assert accepted["status"] == "suppressed"
    assert accepted["suppression"] == {"source": "inline", "reason": "the backend validates every request",
                                       "file": "main.tf", "line": 10, "until": None}


def test_a_plan_is_read_by_checkov_as_a_plan(run_cli, real_checkov):
    """`gateaudit scan plan.json --with-checkov`: Checkov judges the plan too (its terraform_plan framework), its
    open-method finding beside ours on the same address."""
    report = scan(run_cli, real_checkov, "tests/plans/seed.plan.json", "--config-dir", "stack/examples/seed")
    [ours] = results(report, rule_id="GA101", resource="aws_api_gateway_method.items_get")
    [theirs] = results(report, rule_id="CKV_AWS_59", resource="aws_api_gateway_method.items_get")
    assert (ours["status"], theirs["status"]) == ("failed", "failed")
    assert theirs["file"] == "seed.plan.json"
