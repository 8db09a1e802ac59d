"""Where the reports go, as a new user meets it: one format on stdout, several in a folder, the verdict always in
sight, and a reader that stops early (`| head`) is not a bug."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

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


@pytest.fixture
def open_method(tmp_path) -> Path:
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "main.tf").write_text(OPEN_METHOD)
    return folder


def test_several_formats_on_stdout_are_refused(run_cli, open_method):
    done = run_cli("scan", str(open_method), "--format", "json", "--format", "html")
    assert done.returncode == 2 and done.stdout == ""
    assert "gateaudit: error: several formats need --output-dir" in done.stderr


def test_output_and_output_dir_together_are_refused(run_cli, open_method, tmp_path):
    done = run_cli("scan", str(open_method), "--format", "json", "--output", str(tmp_path / "r.json"),
                   "--output-dir", str(tmp_path / "out"))
    assert done.returncode == 2 and "--output and --output-dir" in done.stderr
    assert not (tmp_path / "r.json").exists() and not (tmp_path / "out").exists()


def test_the_verdict_shows_on_stderr_when_the_reports_go_to_files(run_cli, open_method, tmp_path):
    done = run_cli("scan", str(open_method), "--format", "json", "--format", "html", "--output-dir",
                   str(tmp_path / "out"))
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines()[-1].startswith("gateaudit: FAIL: 1 failed at or above fail-on low (1 failed, ")
    done = run_cli("scan", str(open_method), "--format", "json", "--output", str(tmp_path / "r.json"),
                   "--fail-on", "critical")
    assert done.returncode == 0 and done.stdout == ""
    assert done.stderr.splitlines()[-1].startswith("gateaudit: PASS: 1 failed below fail-on critical (")


def test_a_text_report_on_stdout_is_not_repeated_on_stderr(run_cli, open_method):
    done = run_cli("scan", str(open_method))
    assert done.returncode == 1 and done.stdout.splitlines()[-1].startswith("FAIL: ")
    assert done.stderr == ""


def closed_early(*args: str) -> subprocess.CompletedProcess:
    """gateaudit writing into a pipe whose reader has gone away before the first line, as `| head -0` does."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run([sys.executable, "-m", "gateaudit", *args], stdout=write, stderr=subprocess.PIPE,
                              text=True, cwd=ROOT, timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    finally:
        os.close(write)


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_a_reader_that_stops_early_leaves_the_scans_exit_code(open_method, debug):
    done = closed_early(*debug, "scan", str(open_method), "-v")
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""
    passing = closed_early(*debug, "scan", str(open_method), "--fail-on", "critical", "--format", "json")
    assert (passing.returncode, passing.stderr) == (0, "")


def test_listing_commands_into_a_closed_pipe_exit_0(open_method):
    for args in (["rules"], ["schema"], ["--version"], ["--help"]):
        done = closed_early(*args)
        assert (done.returncode, done.stderr) == (0, ""), args


def test_head_reads_the_first_lines_and_the_pipeline_keeps_the_verdict(tmp_path):
    bash = "/bin/bash"
    if not Path(bash).exists():
        pytest.skip("bash is not installed: pipefail needs it")
    methods = "".join(OPEN_METHOD.split("\n\n")[1].replace('"get"', f'"get{n}"') + "\n" for n in range(600))
    (tmp_path / "main.tf").write_text(OPEN_METHOD + methods)  # a report larger than the pipe's buffer
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}  # as most users run
    done = subprocess.run([bash, "-o", "pipefail", "-c", '"$0" -m gateaudit scan "$1" -v | head -n 1',
                           sys.executable, str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env=buffered)
    assert done.stdout.startswith("gateaudit ") and done.stdout.count("\n") == 1
    assert done.returncode == 1 and done.stderr == ""


def test_the_baseline_is_never_written_through_a_symlink(run_cli, open_method, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (tmp_path / "baseline.json").symlink_to(victim)
    done = run_cli("baseline", str(open_method), "--output", str(tmp_path / "baseline.json"))
    assert done.returncode == 2 and "symlink" in done.stderr
    assert victim.read_text() == "precious" and (tmp_path / "baseline.json").is_symlink()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary file left behind
    done = run_cli("baseline", str(open_method), "--output", str(tmp_path / "new" / "baseline.json"))
    assert done.returncode == 0 and '"rule_id": "GA101"' in (tmp_path / "new" / "baseline.json").read_text()


def test_a_report_larger_than_the_buffers_reaches_a_pipe_whole(tmp_path):
    """The process ends without freeing its objects one by one (`os._exit`): what is still buffered is written
    first, to the last byte."""
    import json

    methods = "".join(OPEN_METHOD.split("\n\n")[1].replace('"get"', f'"get{n}"') + "\n" for n in range(300))
    (tmp_path / "main.tf").write_text(OPEN_METHOD + methods)
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    done = subprocess.run([sys.executable, "-m", "gateaudit", "scan", str(tmp_path), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, env=buffered)
    assert done.returncode == 1, done.stderr
    assert len(json.loads(done.stdout)["results"]) > 300
