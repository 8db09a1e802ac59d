"""The command line as a CI gate sees it: exit codes, JSON, errors with file and line."""

import json
import os
import stat
import threading
from pathlib import Path

import pytest

OPEN_METHOD = '''
resource "aws_api_gateway_rest_api" "api" {
  name = "a"
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}
'''


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return folder


def test_a_failure_is_exit_1_with_file_line_and_fix(run_cli, tmp_path):
    write(tmp_path, {"api.tf": OPEN_METHOD})
    done = run_cli("scan", str(tmp_path))
    assert done.returncode == 1
    assert "FAIL    GA101 aws_api_gateway_method.get  api.tf:6" in done.stdout
    assert 'authorization is "NONE" on GET' in done.stdout
    assert "fix: Set authorization = \"CUSTOM\"" in done.stdout


def test_json_report_shape(run_cli, tmp_path):
    write(tmp_path, {"api.tf": OPEN_METHOD})
    done = run_cli("scan", str(tmp_path), "--format", "json")
    report = json.loads(done.stdout)
    assert report["tool"] == "gateaudit" and report["version"]
    failed = [r for r in report["results"] if r["status"] == "failed"]
    assert failed[0] | {"message": None, "remediation": None} == {"suppression": None, "source": "gateaudit",
        "rule_id": "GA101", "control": "authorizer-attached", "status": "failed", "severity": "high",
        "resource": "aws_api_gateway_method.get", "attribute": "authorization", "file": "api.tf", "line": 6,
        "message": None, "remediation": None}
    assert report["summary"]["failed"] == len(failed)
    assert report["errors"] == []


def test_fail_on_raises_the_bar(run_cli, tmp_path):
    write(tmp_path, {"api.tf": OPEN_METHOD})
    assert run_cli("scan", str(tmp_path), "--fail-on", "critical").returncode == 0
    assert run_cli("scan", str(tmp_path), "--fail-on", "high").returncode == 1


def test_output_file(run_cli, tmp_path):
    write(tmp_path / "tf", {"api.tf": OPEN_METHOD})
    out = tmp_path / "report.json"
    done = run_cli("scan", str(tmp_path / "tf"), "--format", "json", "--output", str(out))
    assert done.returncode == 1 and done.stdout == ""
    assert json.loads(out.read_text())["summary"]["failed"] >= 1


def test_missing_path_is_exit_2(run_cli, tmp_path):
    done = run_cli("scan", str(tmp_path / "typo"))
    assert done.returncode == 2
    assert "no such file or folder" in done.stderr


def test_no_terraform_files_is_exit_2_not_a_pass(run_cli, tmp_path):
    write(tmp_path, {"README.md": "nothing here"})
    done = run_cli("scan", str(tmp_path), "--format", "json")
    assert done.returncode == 2
    assert "no Terraform files" in json.loads(done.stdout)["errors"][0]["message"]


def test_parse_error_names_file_and_line_and_is_never_a_pass(run_cli, tmp_path):
    write(tmp_path, {"ok.tf": OPEN_METHOD.replace('"NONE"', '"AWS_IAM"'),
                     "broken.tf": 'resource "aws_lambda_function" "f" {\n  runtime = "python3.12"\n'})
    done = run_cli("scan", str(tmp_path), "--format", "json")
    assert done.returncode == 2
    errors = json.loads(done.stdout)["errors"]
    assert errors == [{"file": "broken.tf", "line": 3,
                       "message": "unexpected end of file (an unclosed block, bracket or string?)"}]


def test_binary_and_invalid_utf8_are_errors(run_cli, tmp_path):
    write(tmp_path, {"junk.tf": b"\x7fELF\x00\x01\x02", "latin1.tf": b'# caf\xe9\nlocals {}\n'})
    done = run_cli("scan", str(tmp_path), "--format", "json")
    assert done.returncode == 2
    errors = {e["file"]: (e["line"], e["message"]) for e in json.loads(done.stdout)["errors"]}
    assert errors["junk.tf"] == (1, "binary content (a NUL byte): not a Terraform file")
    assert errors["latin1.tf"] == (1, "not valid UTF-8 (byte 0xe9)")


def test_bom_and_crlf_scan_normally(run_cli, tmp_path):
    write(tmp_path, {"api.tf": ("\ufeff" + OPEN_METHOD.replace("\n", "\r\n")).encode()})
    done = run_cli("scan", str(tmp_path), "--format", "json")
    assert done.returncode == 1
    assert [r["line"] for r in json.loads(done.stdout)["results"] if r["status"] == "failed"] == [6]


def test_misspelt_resource_type_is_an_error_naming_the_real_one(run_cli, tmp_path):
    write(tmp_path, {"api.tf": 'resource "aws_apigateway_method" "get" {\n  http_method = "GET"\n}\n'})
    done = run_cli("scan", str(tmp_path))
    assert done.returncode == 2
    assert 'api.tf:1: unknown resource type "aws_apigateway_method": did you mean "aws_api_gateway_method"?' \
        in done.stderr


def test_empty_control_says_nothing_was_judged(run_cli, tmp_path):
    write(tmp_path, {"api.tf": OPEN_METHOD})
    done = run_cli("scan", str(tmp_path), "--format", "json")
    controls = {c["id"]: c for c in json.loads(done.stdout)["controls"]}
    assert controls["authorizer-attached"]["nothing_in_scope"] is None
    assert controls["logging-enabled"]["nothing_in_scope"].startswith("no API Gateway stages")
    assert "NOT APPLICABLE: no API Gateway stages" in run_cli("scan", str(tmp_path)).stdout


def test_remote_modules_are_listed_as_not_scanned(run_cli, tmp_path):
    write(tmp_path, {"main.tf": OPEN_METHOD + 'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'})
    done = run_cli("scan", str(tmp_path), "--format", "json")
    assert done.returncode == 1
    assert json.loads(done.stdout)["not_scanned"] == [{
        "module": "module.vpc", "source": "terraform-aws-modules/vpc/aws", "file": "main.tf", "line": 12,
        "reason": "run `terraform init` first"}]


def test_user_rules_dir(run_cli, tmp_path):
    rules = write(tmp_path / "rules", {"team_rule.py": '''
from gateaudit.result import Severity
from gateaudit.rules import Rule

RULE = Rule(id="TEAM001", control="team", severity=Severity.MEDIUM, title="APIs have a description",
            rationale="r", remediation="Add a description.")


def check(stack):
    for api in stack.resources("aws_api_gateway_rest_api"):
        if api.has("description"):
            yield RULE.passed(api)
        else:
            yield RULE.failed(api, "description is not set")
'''})
    write(tmp_path / "tf", {"api.tf": OPEN_METHOD})
    done = run_cli("scan", str(tmp_path / "tf"), "--rules-dir", str(rules), "--format", "json")
    ours = [r for r in json.loads(done.stdout)["results"] if r["rule_id"] == "TEAM001"]
    assert ours[0]["status"] == "failed" and ours[0]["line"] == 2
    listed = run_cli("rules", "--rules-dir", str(rules)).stdout
    assert "TEAM001" in listed and "GA101" in listed


def test_a_broken_user_rule_is_exit_2(run_cli, tmp_path):
    rules = write(tmp_path / "rules", {"bad.py": "raise RuntimeError('boom')\n"})
    write(tmp_path / "tf", {"api.tf": OPEN_METHOD})
    done = run_cli("scan", str(tmp_path / "tf"), "--rules-dir", str(rules))
    assert done.returncode == 2 and "import failed: RuntimeError: boom" in done.stderr


def test_a_rule_that_raises_is_exit_2_not_a_pass(run_cli, tmp_path):
    rules = write(tmp_path / "rules", {"crash.py": '''
from gateaudit.result import Severity
from gateaudit.rules import Rule

RULE = Rule(id="TEAM002", control="team", severity=Severity.LOW, title="t", rationale="r", remediation="f")


def check(stack):
    raise KeyError("oops")
    yield
'''})
    write(tmp_path / "tf", {"api.tf": OPEN_METHOD.replace('"NONE"', '"AWS_IAM"')})
    done = run_cli("scan", str(tmp_path / "tf"), "--rules-dir", str(rules))
    assert done.returncode == 2 and "internal error in rule TEAM002" in done.stderr


def test_usage_errors_are_exit_2(run_cli):
    assert run_cli("scan", "--format", "yaml").returncode == 2
    assert run_cli("frobnicate").returncode == 2


def test_rules_command_lists_the_four_controls(run_cli):
    listed = run_cli("rules").stdout
    for control in ("authorizer-attached",):
        assert control in listed


def test_reports_are_never_written_through_a_symlink(run_cli, tmp_path):
    write(tmp_path / "tf", {"api.tf": OPEN_METHOD})
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "gateaudit.json").symlink_to(victim)
    done = run_cli("scan", str(tmp_path / "tf"), "--format", "json", "--output-dir", str(tmp_path / "out"))
    assert done.returncode == 2 and "symlink" in done.stderr
    assert victim.read_text() == "precious"
    (tmp_path / "report.json").symlink_to(victim)
    done = run_cli("scan", str(tmp_path / "tf"), "--format", "json", "--output", str(tmp_path / "report.json"))
    assert done.returncode == 2 and victim.read_text() == "precious"


def test_a_report_to_a_named_pipe_goes_through_it_and_leaves_it_a_pipe(run_cli, tmp_path):
    write(tmp_path / "tf", {"api.tf": OPEN_METHOD})
    pipe = tmp_path / "report.pipe"
    os.mkfifo(pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_text()), daemon=True)
    reader.start()
    done = run_cli("scan", str(tmp_path / "tf"), "--format", "json", "--output", str(pipe))
    reader.join(timeout=30)
    assert done.returncode == 1, done.stderr
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)  # not replaced by a regular file
    assert received and json.loads(received[0])["summary"]["failed"] == 1


def test_a_report_to_a_character_device_writes_to_the_device_and_leaves_it_one(run_cli, tmp_path):
    """`--output /dev/null`, as the benchmark scans: once, the report replaced /dev/null with a regular file."""
    null = tmp_path / "null"
    try:
        os.mknod(null, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of the test's own
    except PermissionError:
        pytest.skip("making a device node needs root (CAP_MKNOD)")
    write(tmp_path / "tf", {"api.tf": OPEN_METHOD})
    done = run_cli("scan", str(tmp_path / "tf"), "--format", "json", "--output", str(null))
    assert done.returncode == 1, done.stderr
    assert stat.S_ISCHR(os.lstat(null).st_mode)
    assert sorted(os.listdir(tmp_path)) == ["null", "tf"]  # no temporary file left beside it
