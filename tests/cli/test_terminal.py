"""What gateaudit prints cannot act on the terminal or the CI runner reading its output.

A scanned tree chooses module labels, file names and messages; in CI the config below the root and the baseline
are files of the pull request too. Printed raw, a `\\n::error::` becomes a GitHub Actions workflow command (the
runner matches `::` after leading spaces, and the legacy `##[command]` anywhere in a line), an ESC sequence
rewrites the terminal, a CR or a line separator (U+0085, U+2028) starts a line that looks like gateaudit's own,
and a bidi override (U+202E) shows text in another order than it is.
"""

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

# Every way a piece of input could become a line of its own or act on what shows the output.
HOSTILE = "\n::error::pwned\x1b[31m red\r::warning::cr\u202eevil\x85::notice::nel\u2028::debug::ls ##[error]legacy\t"
# The same, as an HCL or TOML string literal: both take \uNNNN escapes.
HOSTILE_LITERAL = "".join(c if c.isascii() and c.isprintable() else f"\\u{ord(c):04x}" for c in HOSTILE)

OPEN_METHOD = '''resource "aws_api_gateway_rest_api" "api" {
  name = "a"
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}
'''

HOSTILE_RULE = f'''
from gateaudit.result import Severity
from gateaudit.rules import Rule

RULE = Rule(id="TEAM001", control="team", severity=Severity.MEDIUM, title={HOSTILE!r},
            rationale="r", remediation={HOSTILE!r})


def check(stack):
    for api in stack.resources("aws_api_gateway_rest_api"):
        yield RULE.failed(api, {HOSTILE!r})
    for method in stack.resources("aws_api_gateway_method"):
        yield RULE.failed(method, "  ::error::at the start of a line")
'''


def assert_log_safe(output: str) -> None:
    for number, line in enumerate(output.split("\n"), start=1):
        assert line.isprintable(), f"line {number} carries a raw control character: {line!r}"
        assert not line.lstrip().startswith("::"), f"line {number} is a workflow command: {line!r}"
        assert "##[" not in line, f"line {number} holds a legacy workflow command: {line!r}"


def assert_clean_run(done) -> None:
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert_log_safe(done.stdout)
    assert_log_safe(done.stderr)


def test_the_hostile_string_holds_what_it_should():
    assert HOSTILE_LITERAL.isascii() and "\\u001b" in HOSTILE_LITERAL and "\\u2028" in HOSTILE_LITERAL
    with pytest.raises(AssertionError):
        assert_log_safe(HOSTILE)


def test_a_module_label_in_errors_and_the_text_report(run_cli, tmp_path):
    (tmp_path / "main.tf").write_text(f'module "{HOSTILE_LITERAL}" {{\n}}\n')
    done = run_cli("scan", str(tmp_path))
    assert done.returncode == 2
    assert "module.\\x0a::error::pwned\\x1b[31m red" in done.stderr  # shown, escaped, on gateaudit's line
    assert_clean_run(done)


def test_a_file_name_in_errors(run_cli, tmp_path):
    (tmp_path / f"x{HOSTILE}.tf").write_text('resource "aws_lambda_function" "f" {\n')
    done = run_cli("scan", str(tmp_path))
    assert done.returncode == 2 and "unexpected end of file" in done.stderr
    assert_clean_run(done)


def test_a_config_value_in_errors(run_cli, tmp_path):
    (tmp_path / "main.tf").write_text(OPEN_METHOD)
    (tmp_path / "team.toml").write_text(f'skip-rules = ["{HOSTILE_LITERAL}"]\n')
    done = run_cli("scan", str(tmp_path), "--config", str(tmp_path / "team.toml"))
    assert done.returncode == 2 and "is not a rule" in done.stderr
    assert_clean_run(done)


def test_a_baseline_id_in_the_text_report(run_cli, tmp_path):
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(OPEN_METHOD)
    entry = {"rule_id": HOSTILE, "resource": HOSTILE, "attribute": HOSTILE, "folder": "", "file": HOSTILE, "line": 1,
             "fingerprint": HOSTILE}
    (tmp_path / "baseline.json").write_text(json.dumps({"gateaudit_baseline": 2, "entries": [entry]}))
    done = run_cli("scan", str(tmp_path / "tf"), "--baseline", str(tmp_path / "baseline.json"))
    assert done.returncode == 1 and "baseline entry no longer occurs" in done.stdout
    assert_clean_run(done)


@pytest.fixture
def hostile_rule(tmp_path) -> tuple[Path, Path]:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "team_rule.py").write_text(HOSTILE_RULE)
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(OPEN_METHOD)
    return tmp_path / "tf", tmp_path / "rules"


def test_a_rule_message_and_title_in_the_text_report_and_the_rule_list(run_cli, hostile_rule):
    folder, rules = hostile_rule
    done = run_cli("scan", str(folder), "--rules-dir", str(rules), "-v")
    assert done.returncode == 1 and "TEAM001" in done.stdout
    assert ("\\x0a::error::pwned\\x1b[31m red\\x0d::warning::cr\\u202eevil\\x85::notice::nel\\u2028::debug::ls "
            "##\\x5berror]legacy\\x09") in done.stdout
    assert "  \\x3a:error::at the start of a line" in done.stdout
    assert_clean_run(done)
    listed = run_cli("rules", "--rules-dir", str(rules))
    assert listed.returncode == 0 and "TEAM001" in listed.stdout
    assert_clean_run(listed)


@pytest.mark.parametrize("name", ["json", "sarif", "junit", "markdown", "html"])
def test_every_format_on_stdout_keeps_its_text_and_its_syntax(run_cli, hostile_rule, name):
    folder, rules = hostile_rule
    done = run_cli("scan", str(folder), "--rules-dir", str(rules), "--format", name)
    assert done.returncode == 1
    assert_clean_run(done)
    if name == "json":  # the same values, only written with escapes
        messages = [r["message"] for r in json.loads(done.stdout)["results"] if r["rule_id"] == "TEAM001"]
        assert HOSTILE in messages
    elif name == "sarif":
        messages = [r["message"]["text"] for r in json.loads(done.stdout)["runs"][0]["results"]]
        assert any(message.endswith(HOSTILE) for message in messages)
    elif name == "junit":
        ET.fromstring(done.stdout)


def test_the_paths_gateaudit_wrote_and_the_verdict_on_stderr(run_cli, hostile_rule, tmp_path):
    folder, rules = hostile_rule
    out = tmp_path / f"out{HOSTILE}"
    done = run_cli("scan", str(folder), "--rules-dir", str(rules), "--format", "json", "--output-dir", str(out))
    assert done.returncode == 1 and (out / "gateaudit.json").is_file()
    assert "gateaudit: wrote " in done.stderr
    assert_clean_run(done)
