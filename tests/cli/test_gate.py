"""The gate as a team tunes it: suppressions with reasons, a config file, baselines, unknown modes."""

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


def stack(folder: Path, comment: str = "", config: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text(OPEN.replace("{comment}", comment))
    if config is not None:
        (folder / ".gateaudit.toml").write_text(config)
    return folder


def scan(run_cli, folder: Path, *args: str) -> tuple[int, dict, str]:
    done = run_cli("scan", str(folder), "--format", "json", *args)
    return done.returncode, json.loads(done.stdout) if done.stdout else {}, done.stderr


def method(report: dict) -> dict:
    return next(r for r in report["results"] if r["rule_id"] == "GA101")


def test_an_inline_suppression_with_a_reason_is_applied_and_stays_visible(run_cli, tmp_path):
    folder = stack(tmp_path, '# gateaudit:ignore GA101 reason="public health check"')
    code, report, _ = scan(run_cli, folder)
    assert code == 0
    assert method(report)["status"] == "suppressed"
    assert method(report)["suppression"] == {"source": "inline", "reason": "public health check", "file": "main.tf",
                                             "line": 5, "until": None}
    text = run_cli("scan", str(folder)).stdout
    assert "suppressed by inline (main.tf:5): public health check" in text


def test_slash_comments_and_several_rules_in_one_comment(run_cli, tmp_path):
    folder = stack(tmp_path, '// gateaudit:ignore GA999x reason="x"')
    assert scan(run_cli, folder)[0] == 2  # an unknown rule id is an error, not silently nothing
    stack(tmp_path, '// gateaudit:ignore GA105 reason="not an HTTP API" GA101 reason="health check"')
    code, report, _ = scan(run_cli, tmp_path)
    assert code == 0 and method(report)["suppression"]["reason"] == "health check"


def test_a_suppression_inside_the_block_applies_too(run_cli, tmp_path):
    folder = stack(tmp_path)
    text = (folder / "main.tf").read_text().replace('  http_method   = "GET"\n',
                                                    '  http_method   = "GET" # gateaudit:ignore GA101 reason="ok"\n')
    (folder / "main.tf").write_text(text)
    assert method(scan(run_cli, folder)[1])["status"] == "suppressed"


def test_a_suppression_above_the_block_applies_when_the_result_points_at_the_entry_that_wrote_it(run_cli, tmp_path):
    """GA102 fails an open for_each route at its map entry; a reviewer suppresses it above the route block."""
    (tmp_path / "main.tf").write_text('''locals {
  routes = {
    health = { key = "GET /health", authorization = "NONE" }
  }
}

# gateaudit:ignore GA102 reason="public health check"
resource "aws_apigatewayv2_route" "r" {
  for_each           = local.routes
  api_id             = "api"
  route_key          = each.value.key
  authorization_type = each.value.authorization
}
''')
    code, report, _ = scan(run_cli, tmp_path)
    [route] = [r for r in report["results"] if r["rule_id"] == "GA102"]
    assert (route["status"], route["line"], route["suppression"]["line"]) == ("suppressed", 3, 7)
    assert code == 0


def test_a_suppression_without_a_reason_is_not_applied_and_is_reported(run_cli, tmp_path):
    code, report, _ = scan(run_cli, stack(tmp_path, "# gateaudit:ignore GA101"))
    assert code == 2
    assert report["errors"][0]["file"] == "main.tf" and report["errors"][0]["line"] == 5
    assert "has no reason" in report["errors"][0]["message"]
    assert method(report)["status"] == "failed"


def test_an_expired_suppression_fails_again_with_a_note(run_cli, tmp_path):
    folder = stack(tmp_path, '# gateaudit:ignore GA101 reason="until the WAF lands" until=2020-01-31')
    code, report, _ = scan(run_cli, folder)
    assert code == 1 and method(report)["status"] == "failed"
    assert "suppression at main.tf:5 expired on 2020-01-31" in method(report)["message"]
    folder = stack(tmp_path, '# gateaudit:ignore GA101 reason="x" until=2099-01-31')
    assert scan(run_cli, folder)[0] == 0


def test_reviewers_can_switch_inline_suppressions_off_or_make_them_fail(run_cli, tmp_path):
    folder = stack(tmp_path, '# gateaudit:ignore GA101 reason="public health check"')
    code, report, _ = scan(run_cli, folder, "--no-inline-suppressions")
    assert code == 1 and method(report)["status"] == "failed"
    assert report["settings"]["inline_suppressions"] is False
    code, report, _ = scan(run_cli, folder, "--fail-on-suppressions")
    assert code == 1 and method(report)["status"] == "suppressed"


def test_config_file_fail_on_skip_and_severity(run_cli, tmp_path):
    folder = stack(tmp_path, config='fail-on = "critical"\n')
    code, report, _ = scan(run_cli, folder)
    assert code == 0 and report["fail_on"] == "critical" and report["settings"]["config_file"]
    assert scan(run_cli, folder, "--fail-on", "low")[0] == 1  # the command line wins
    folder = stack(tmp_path, config='skip-rules = ["GA101"]\n')
    assert all(r["rule_id"] != "GA101" for r in scan(run_cli, folder)[1]["results"])
    folder = stack(tmp_path, config='fail-on = "high"\n[severity]\nGA101 = "low"\n')
    code, report, _ = scan(run_cli, folder)
    assert code == 0 and method(report)["severity"] == "low"


def test_config_in_pyproject_found_from_the_scanned_path_upwards(run_cli, tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.gateaudit]\nfail-on = "critical"\n')
    folder = stack(tmp_path / "infra" / "api")
    code, report, _ = scan(run_cli, folder)
    assert code == 0 and report["settings"]["config_file"].endswith("pyproject.toml")
    assert scan(run_cli, folder, "--no-config")[0] == 1


def test_config_exemptions_need_a_reason_and_match_address_patterns(run_cli, tmp_path):
    config = '[[exemptions]]\nresources = "aws_api_gateway_method.heal*"\nrules = ["GA101"]\nreason = "public probe"\n'
    code, report, _ = scan(run_cli, stack(tmp_path, config=config))
    assert code == 0
    assert method(report)["suppression"]["source"] == "config"
    assert method(report)["suppression"]["reason"] == "public probe"
    code, _, stderr = scan(run_cli, stack(tmp_path, config=config.replace('reason = "public probe"\n', "")))
    assert code == 2 and "needs a reason" in stderr


def test_broken_configs_are_exit_2(run_cli, tmp_path):
    for config, words in (('fail_on = "high"\n', "unknown key 'fail_on'"),
                          ('fail-on = "severe"\n', "fail-on must be one of"),
                          ('[severity]\nGA000 = "low"\n', "GA000 is not a rule"),
                          ('[rules.GA101]\nno-such-option = 1\n', "has no option 'no-such-option'"),
                          ("fail-on = \n", "not valid TOML")):
        code, _, stderr = scan(run_cli, stack(tmp_path, config=config))
        assert code == 2 and words in stderr, (config, stderr)


def test_unknown_modes(run_cli, tmp_path):
    folder = tmp_path / "u"
    folder.mkdir()
    (folder / "main.tf").write_text(OPEN.replace("{comment}", 'variable "auth" {}').replace('"NONE"', "var.auth"))
    code, report, _ = scan(run_cli, folder)
    assert code == 1 and method(report)["status"] == "unknown"
    assert scan(run_cli, folder, "--unknown", "warn")[0] == 0
    assert "do not fail the gate (--unknown=warn)" in run_cli("scan", str(folder), "--unknown", "warn").stdout
    assert scan(run_cli, folder, "--unknown", "pass")[0] == 0


def test_baseline_records_failures_and_survives_moved_lines(run_cli, tmp_path):
    folder = stack(tmp_path / "tf")
    baseline = tmp_path / "baseline.json"
    done = run_cli("baseline", str(folder), "--output", str(baseline))
    assert done.returncode == 0 and "recorded" in done.stdout
    entries = json.loads(baseline.read_text())["entries"]
    assert {(e["rule_id"], e["resource"]) for e in entries} >= {("GA101", "aws_api_gateway_method.health")}
    (folder / "main.tf").write_text("\n\n\n" + (folder / "main.tf").read_text())  # lines move
    code, report, _ = scan(run_cli, folder, "--baseline", str(baseline))
    assert code == 0
    assert method(report)["status"] == "suppressed" and method(report)["suppression"]["source"] == "baseline"
    # a new failure is not covered by the baseline
    (folder / "more.tf").write_text(OPEN.replace("{comment}", "").replace('"api"', '"other"').replace(
        "rest_api.api", "rest_api.other").replace('"health"', '"new"'))
    code, report, _ = scan(run_cli, folder, "--baseline", str(baseline))
    assert code == 1
    assert {r["resource"] for r in report["results"] if r["status"] == "failed"} >= {"aws_api_gateway_method.new"}


def test_baseline_entries_that_no_longer_occur_are_listed(run_cli, tmp_path):
    folder = stack(tmp_path / "tf")
    baseline = tmp_path / "baseline.json"
    run_cli("baseline", str(folder), "--output", str(baseline))
    (folder / "main.tf").write_text((folder / "main.tf").read_text().replace('"NONE"', '"AWS_IAM"'))
    code, report, _ = scan(run_cli, folder, "--baseline", str(baseline))
    assert code == 0
    assert {"rule_id": "GA101", "resource": "aws_api_gateway_method.health", "attribute": "authorization",
            "file": "main.tf", "line": 6} in report["stale_baseline"]
    assert "baseline entry no longer occurs" in run_cli("scan", str(folder), "--baseline", str(baseline)).stdout


def test_an_unreadable_baseline_is_exit_2(run_cli, tmp_path):
    folder = stack(tmp_path / "tf")
    for content in ("{not json", '{"entries": []}'):
        (tmp_path / "b.json").write_text(content)
        code, _, stderr = scan(run_cli, folder, "--baseline", str(tmp_path / "b.json"))
        assert code == 2 and "baseline" in stderr
    assert scan(run_cli, folder, "--baseline", str(tmp_path / "missing.json"))[0] == 2


def test_skipped_rules_are_still_rules_and_typos_are_errors(run_cli, tmp_path):
    config = 'skip-rules = ["GA101"]\n[rules.GA101]\ncors-preflight-methods = ["OPTIONS"]\n'
    folder = stack(tmp_path, '# gateaudit:ignore GA101 reason="kept for when the rule is back"', config=config)
    code, report, _ = scan(run_cli, folder)
    assert code == 0 and all(r["rule_id"] != "GA101" for r in report["results"])
    code, _, stderr = scan(run_cli, stack(tmp_path, config='skip-rules = ["GA10l"]\n'))
    assert code == 2 and "GA10l is not a rule" in stderr


def test_a_finding_in_the_authorizers_code_is_suppressed_in_the_code_or_at_the_authorizer(run_cli, tmp_path):
    fixture = Path(__file__).resolve().parents[1] / "rules" / "GA108" / "fail_equals_against_the_environment"
    for where in ("code", "terraform", "elsewhere in the code"):
        folder = tmp_path / where.replace(" ", "-")
        folder.mkdir()
        for file in fixture.iterdir():
            (folder / file.name).write_text(file.read_text())
        comment = '# gateaudit:ignore GA108 reason="5 tries a minute per client"'
        if where == "code":  # on the line above the comparison
            path, before = folder / "handler.py", "    if presented =="
        elif where == "terraform":  # above the authorizer the result is about
            path, before = folder / "main.tf", 'resource "aws_api_gateway_authorizer"'
        else:  # above another statement: it accepts nothing here
            path, before = folder / "handler.py", "    presented ="
        indent = before[:len(before) - len(before.lstrip())]
        path.write_text(path.read_text().replace(before, f"{indent}{comment}\n{before}", 1))
        _, report, _ = scan(run_cli, folder)
        [result] = [r for r in report["results"] if r["rule_id"] == "GA108"]
        assert (result["file"], result["status"]) == (
            "handler.py", "failed" if where == "elsewhere in the code" else "suppressed"), where


def test_a_finding_in_node_code_is_suppressed_by_a_comment_above_it(run_cli, tmp_path):
    fixture = Path(__file__).resolve().parents[1] / "rules" / "GA209" / "fail_node_compared_with_a_literal"
    for accepted in (True, False):
        folder = tmp_path / str(accepted)
        folder.mkdir()
        for file in fixture.iterdir():
            (folder / file.name).write_text(file.read_text())
        before = "  if (presented ===" if accepted else "  const presented ="  # elsewhere: it accepts nothing
        handler = folder / "handler.js"
        handler.write_text(handler.read_text().replace(
            before, f'  // gateaudit:ignore GA209 reason="a test key, rotated daily"\n{before}', 1))
        _, report, _ = scan(run_cli, folder)
        [result] = [r for r in report["results"] if r["rule_id"] == "GA209"]
        assert (result["file"], result["status"]) == ("handler.js", "suppressed" if accepted else "failed")
