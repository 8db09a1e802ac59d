"""A Checkov that is missing, crashes, hangs, prints something else, or cannot parse a file: exit 2, saying what
happened. Never a silent skip. Fake `checkov` scripts in tmp folders stand in for it (`--checkov PATH`)."""

from __future__ import annotations

import json
import time
from pathlib import Path

METHOD = '''resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "AWS_IAM"
}
'''


def stack(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "main.tf").write_text(METHOD)
    return folder


def scan(run_cli, folder: Path, checkov: Path | str, *args: str):
    done = run_cli("scan", str(folder), "--format", "json", "--no-config", "--checkov", str(checkov), *args)
    report = json.loads(done.stdout) if done.stdout.strip() else None
    return done.returncode, report, done.stderr


def test_a_checkov_that_is_not_there_is_exit_2(run_cli, tmp_path):
    code, report, stderr = scan(run_cli, stack(tmp_path / "tf"), tmp_path / "nowhere" / "checkov")
    assert code == 2
    assert "checkov not found: --checkov names" in stderr and "nowhere/checkov" in stderr
    assert report["exit_code"] == 2
    assert not [r for r in report["results"] if r["source"] == "checkov"]
    assert any("checkov not found" in e["message"] for e in report["errors"])


def test_the_environment_variable_names_checkov_too(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("GATEAUDIT_CHECKOV", str(tmp_path / "missing-checkov"))
    done = run_cli("scan", str(stack(tmp_path / "tf")), "--with-checkov")
    assert done.returncode == 2
    assert "GATEAUDIT_CHECKOV names" in done.stderr and "missing-checkov" in done.stderr


def test_without_with_checkov_checkov_is_not_run(run_cli, tmp_path, fake_checkov):
    marker = tmp_path / "ran"
    fake_checkov(f"open({str(marker)!r}, 'w').close()\n")
    done = run_cli("scan", str(stack(tmp_path / "tf")), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    assert {r["source"] for r in json.loads(done.stdout)["results"]} == {"gateaudit"}


def test_a_crash_is_exit_2_with_checkovs_own_words(run_cli, tmp_path, fake_checkov):
    checkov = fake_checkov('''
        import sys
        print("Traceback (most recent call last):", file=sys.stderr)
        print('  File "checkov/main.py", line 1, in <module>', file=sys.stderr)
        print("ImportError: cannot import name 'START_LINE' from 'hcl2'", file=sys.stderr)
        sys.exit(2)
    ''')
    code, _, stderr = scan(run_cli, stack(tmp_path / "tf"), checkov)
    assert code == 2
    assert "checkov exited with code 2" in stderr
    assert "cannot import name 'START_LINE'" in stderr


def test_a_crash_with_exit_code_1_and_no_report_is_not_taken_for_failed_checks(run_cli, tmp_path, fake_checkov):
    checkov = fake_checkov('''
        import sys
        print("Traceback (most recent call last):\\nRuntimeError: boom", file=sys.stderr)
        sys.exit(1)
    ''')
    code, _, stderr = scan(run_cli, stack(tmp_path / "tf"), checkov)
    assert code == 2
    assert "checkov printed no report" in stderr


def test_a_checkov_that_hangs_is_stopped_at_the_timeout_with_what_it_started(run_cli, tmp_path, fake_checkov):
    child_pid = tmp_path / "child.pid"
    checkov = fake_checkov(f'''
        import subprocess, sys, time
        child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        open({str(child_pid)!r}, "w").write(str(child.pid))
        time.sleep(60)
    ''')
    started = time.monotonic()
    code, _, stderr = scan(run_cli, stack(tmp_path / "tf"), checkov, "--checkov-timeout", "2")
    assert code == 2
    assert "checkov did not finish within 2 s" in stderr
    assert time.monotonic() - started < 30
    pid = int(child_pid.read_text())
    deadline = time.monotonic() + 10
    while _running(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(pid), "the process Checkov started outlived the timeout"


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie is dead, waiting for its (re)parent to reap it


def test_a_timeout_that_is_not_a_positive_number_is_a_usage_error(run_cli, tmp_path):
    done = run_cli("scan", str(stack(tmp_path / "tf")), "--with-checkov", "--checkov-timeout", "0")
    assert done.returncode == 2
    assert "must be more than 0 seconds" in done.stderr


def test_output_that_is_not_json_is_exit_2(run_cli, tmp_path, fake_checkov):
    checkov = fake_checkov('print("Checkov 3.3.30: an upgrade is available")\n')
    code, _, stderr = scan(run_cli, stack(tmp_path / "tf"), checkov)
    assert code == 2
    assert "checkov printed something that is not its JSON report: 'Checkov 3.3.30: an upgrade" in stderr


def test_json_that_is_not_a_report_is_exit_2(run_cli, tmp_path, fake_checkov):
    checkov = fake_checkov('print(\'{"status": "ok"}\')\n')
    code, _, stderr = scan(run_cli, stack(tmp_path / "tf"), checkov)
    assert code == 2
    assert "checkov printed JSON that is not its report" in stderr


def test_a_report_cut_short_is_exit_2(run_cli, tmp_path, fake_checkov):
    checkov = fake_checkov('print(\'{"check_type": "terraform", "results": {"passed_checks": [\')\n')
    code, _, stderr = scan(run_cli, stack(tmp_path / "tf"), checkov)
    assert code == 2
    assert "not its JSON report" in stderr


def test_files_checkov_could_not_parse_are_errors_with_the_file(run_cli, tmp_path, fake_checkov):
    folder = stack(tmp_path / "tf")
    (folder / "broken.tf").write_text('resource "aws_api_gateway_method" "m" {\n  http_method = \n')
    checkov = fake_checkov(f'''
        import json
        print(json.dumps({{"check_type": "terraform",
                          "results": {{"passed_checks": [], "failed_checks": [], "skipped_checks": [],
                                      "parsing_errors": [{str(folder / "broken.tf")!r}]}},
                          "summary": {{"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 1,
                                      "resource_count": 0, "checkov_version": "3.3.30"}}}}))
    ''')  # what Checkov 3.3.30 prints for a file it cannot parse, with exit code 0
    code, report, stderr = scan(run_cli, folder, checkov)
    assert code == 2
    assert "broken.tf: Checkov could not parse this file" in stderr
    message = "Checkov could not parse this file (its report lists it under parsing_errors)"
    assert {"file": "broken.tf", "line": None, "message": message} in report["errors"]


def test_parse_errors_counted_but_not_named_are_an_error_too(run_cli, tmp_path, fake_checkov):
    checkov = fake_checkov('''
        import json
        print(json.dumps({"check_type": "terraform",
                          "results": {"passed_checks": [], "failed_checks": [], "skipped_checks": [],
                                      "parsing_errors": []},
                          "summary": {"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 2,
                                      "resource_count": 0, "checkov_version": "3.3.30"}}))
    ''')
    code, _, stderr = scan(run_cli, stack(tmp_path / "tf"), checkov)
    assert code == 2
    assert "Checkov reports 2 parsing error(s) but names 0 file(s)" in stderr


def test_checkov_is_asked_for_terraform_json_without_downloads_with_the_same_paths_and_var_files(
        run_cli, tmp_path, fake_checkov):
    argv_file = tmp_path / "argv.json"
    checkov = fake_checkov(f'''
        import json, sys
        open({str(argv_file)!r}, "a").write(json.dumps(sys.argv[1:]) + "\\n")
        print(json.dumps({{"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, "resource_count": 0,
                          "checkov_version": "3.3.30"}}))
    ''')
    folder = stack(tmp_path / "tf")
    single = stack(tmp_path / "single") / "main.tf"
    var_file = tmp_path / "prod.tfvars"
    var_file.write_text('region = "eu-west-1"\n')
    done = run_cli("scan", str(folder), str(single), "--checkov", str(checkov), "--var-file", str(var_file))
    assert done.returncode == 0, done.stderr
    calls = sorted(json.loads(line) for line in argv_file.read_text().splitlines())
    options = ["--framework", "terraform", "-o", "json", "--skip-download", "--var-file", str(var_file.resolve())]
    assert calls == sorted([[f"--directory={folder.resolve()}", *options], ["-f", str(single.resolve()), *options]])
