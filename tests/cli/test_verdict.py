"""The verdict says why: the gate's reasons, in every format that shows a verdict.

"PASS: 1 failed" reads like a bug, and "FAIL: 0 failed" like another. The gate (`engine.gate`) decides the exit
code and its reasons together; every report shows the same reasons.
"""

import json
from pathlib import Path

import pytest

from gateaudit.reports.markdown import md

STACK = '''resource "aws_api_gateway_rest_api" "api" {
  name = "a"
}

{comment}
resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = {authorization}
}
'''

SUPPRESSED = '# gateaudit:ignore GA101 reason="public health check"'


def stack(folder: Path, comment: str = "", authorization: str = '"NONE"') -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    text = STACK.replace("{comment}", comment).replace("{authorization}", authorization)
    if authorization.startswith("var."):
        text += 'variable "auth" {\n  type = string\n}\n'
    (folder / "main.tf").write_text(text)
    return folder


CASES = {
    "a failure below fail-on": ({}, ["--fail-on", "critical"], 0, "PASS", ["1 failed below fail-on critical"]),
    "a failure at fail-on": ({}, ["--fail-on", "high"], 1, "FAIL", ["1 failed at or above fail-on high"]),
    "nothing at all": ({"authorization": '"AWS_IAM"'}, [], 0, "PASS",
                       ["nothing failed or unknown at or above fail-on low"]),
    "an inline suppression under fail-on-suppressions": (
        {"comment": SUPPRESSED}, ["--fail-on-suppressions"], 1, "FAIL",
        ["1 inline suppression present (fail-on-suppressions)"]),
    "an unknown that fails": ({"authorization": "var.auth"}, [], 1, "FAIL",
                              ["1 unknown at or above fail-on low (unknown = fail)"]),
    "an unknown that warns": ({"authorization": "var.auth"}, ["--unknown", "warn"], 0, "PASS",
                              ["1 unknown not blocking (unknown = warn)"]),
}


@pytest.mark.parametrize("case", CASES)
def test_every_format_states_the_gates_reasons(run_cli, tmp_path, case):
    shape, args, code, label, reasons = CASES[case]
    folder = stack(tmp_path / "tf", **shape)
    out = tmp_path / "out"
    done = run_cli("scan", str(folder), *args, "--format", "text", "--format", "json", "--format", "markdown",
                   "--format", "html", "--output-dir", str(out))
    assert done.returncode == code, done.stderr
    reason = "; ".join(reasons)
    last = (out / "gateaudit.txt").read_text().splitlines()[-1]
    assert last.startswith(f"{label}: {reason} ("), last
    assert json.loads((out / "gateaudit.json").read_text())["gate"] == {"verdict": label, "reasons": reasons}
    markdown = (out / "gateaudit.md").read_text()
    assert markdown.splitlines()[2].startswith(md(f"{reason}.")), markdown.splitlines()[2]
    html = (out / "gateaudit.html").read_text()
    assert f'<p class="verdict-summary">{reason}.' in html


def test_errors_are_the_reason_of_an_error_verdict(run_cli, tmp_path):
    (tmp_path / "broken.tf").write_text('resource "aws_lambda_function" "f" {\n')
    done = run_cli("scan", str(tmp_path))
    assert done.returncode == 2
    assert done.stdout.splitlines()[-1].startswith(
        "ERROR (scan incomplete, not a pass): 1 scan error: part of the configuration was not judged (")
