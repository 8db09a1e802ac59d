"""Checkov run by a gate that judges a hostile tree (issue 13): the tree chooses no program to run, gets no
say in Checkov's configuration, and sees none of CI's secrets; `checkov:skip` comments obey
`--no-inline-suppressions` like ours."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gateaudit.checkov import CheckovError, find_executable

ROOT = Path(__file__).resolve().parents[2]
OPEN_METHOD = '''resource "aws_api_gateway_rest_api" "api" {
  name = "fitness"
}

resource "aws_api_gateway_method" "get" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_rest_api.api.root_resource_id
  http_method   = "GET"
  authorization = "NONE"
}
'''
EMPTY_REPORT = ('import json\nprint(json.dumps({"passed": 0, "failed": 0, "skipped": 0, "parsing_errors": 0, '
                '"resource_count": 0, "checkov_version": "3.3.30"}))\n')


def gateaudit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gateaudit", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env=env)


def without_checkov_variable() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k != "GATEAUDIT_CHECKOV"}


def plant(fake_checkov, where: Path, marker: Path) -> None:
    """A `checkov` that leaves a marker if it is ever run, at `where`."""
    where.mkdir(parents=True, exist_ok=True)
    os.replace(fake_checkov(f"open({str(marker)!r}, 'w').close()\n" + EMPTY_REPORT), where / "checkov")


def test_a_checkov_shipped_in_the_scanned_tree_never_runs(tmp_path, fake_checkov):
    repository = tmp_path / "repository"
    (repository / "infra").mkdir(parents=True)
    (repository / "infra" / "main.tf").write_text(OPEN_METHOD)
    marker = tmp_path / "ran"
    plant(fake_checkov, repository / ".venv-checkov" / "bin", marker)  # beside the current folder
    plant(fake_checkov, repository / "infra" / ".venv-checkov" / "bin", marker)
    plant(fake_checkov, repository / "bin", marker)  # on a relative PATH entry
    env = without_checkov_variable()
    env["PATH"] = os.pathsep.join(["bin", "", ".", env.get("PATH", "")])
    for path in (".", "infra"):
        gateaudit("scan", path, "--with-checkov", cwd=repository, env=env)
        assert not marker.exists(), f"scan {path}: a checkov from the scanned tree ran"


def test_a_checkov_found_inside_a_scanned_folder_is_refused_even_gateaudits_own(tmp_path, monkeypatch, fake_checkov):
    scanned = tmp_path / "scanned"
    plant(fake_checkov, scanned / "tools", tmp_path / "ran")
    monkeypatch.delenv("GATEAUDIT_CHECKOV", raising=False)
    monkeypatch.setenv("PATH", str(scanned / "tools"))
    for folders in ([scanned], [scanned / "tools"], [ROOT]):  # ROOT holds the .venv-checkov beside gateaudit
        try:
            found = find_executable(None, folders)
        except CheckovError as error:
            assert "never run" in str(error)
            continue
        assert not any(found.resolve().is_relative_to(folder.resolve()) for folder in folders), found


def test_checkov_named_on_the_command_line_or_in_the_environment_is_trusted(tmp_path, fake_checkov, monkeypatch):
    scanned = tmp_path / "scanned"
    plant(fake_checkov, scanned / "tools", tmp_path / "ran")
    assert find_executable(str(scanned / "tools" / "checkov"), [scanned]) == scanned / "tools" / "checkov"
    monkeypatch.setenv("GATEAUDIT_CHECKOV", str(scanned / "tools" / "checkov"))
    assert find_executable(None, [scanned]) == scanned / "tools" / "checkov"


def test_checkov_gets_a_minimal_environment_unless_passed_through(tmp_path, fake_checkov):
    seen = tmp_path / "environment.json"
    checkov = fake_checkov(f"import json, os\njson.dump(dict(os.environ), open({str(seen)!r}, 'w'))\n"
                           + EMPTY_REPORT)
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(OPEN_METHOD)
    env = {**os.environ, "GITHUB_TOKEN": "ghs_secret", "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI", "LC_ALL": "C.UTF-8",
           "HTTPS_PROXY": "http://proxy.internal:3128", "BC_API_KEY": "prisma"}
    gateaudit("scan", "tf", "--checkov", str(checkov), cwd=tmp_path, env=env)
    given = json.loads(seen.read_text())
    assert {"GITHUB_TOKEN", "AWS_SECRET_ACCESS_KEY", "BC_API_KEY"}.isdisjoint(given)
    assert given["PATH"] == env["PATH"] and given["LC_ALL"] == "C.UTF-8"
    assert given["HTTPS_PROXY"] == "http://proxy.internal:3128"
    gateaudit("scan", "tf", "--checkov", str(checkov), "--checkov-env-passthrough", "BC_*", cwd=tmp_path, env=env)
    given = json.loads(seen.read_text())
    assert given["BC_API_KEY"] == "prisma" and "GITHUB_TOKEN" not in given


def checkov_results(done: subprocess.CompletedProcess, rule_id: str) -> list[dict]:
    report = json.loads(done.stdout)
    return [r for r in report["results"] if r["rule_id"] == rule_id]


def test_a_checkov_config_in_the_scanned_tree_or_current_folder_is_not_applied(tmp_path, real_checkov):
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "main.tf").write_text(OPEN_METHOD)
    marker = tmp_path / "external-check-ran"
    (folder / "evil").mkdir()
    (folder / "evil" / "__init__.py").write_text("")
    (folder / "evil" / "check.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    config = "skip-check:\n  - CKV_AWS_59\nexternal-checks-dir:\n  - evil\nsoft-fail: true\n"
    (folder / ".checkov.yaml").write_text(config)
    (tmp_path / ".checkov.yml").write_text(config.replace("- evil", f"- {folder / 'evil'}"))
    for path in ("tf", "tf/main.tf"):
        done = gateaudit("scan", path, "--checkov", str(real_checkov), "--format", "json", cwd=tmp_path,
                         env=dict(os.environ))
        assert done.returncode == 1, done.stderr
        assert [r["status"] for r in checkov_results(done, "CKV_AWS_59")] == ["failed"], path
        assert not marker.exists()


SKIPPED_METHOD = OPEN_METHOD.replace('  rest_api_id', '  #checkov:skip=CKV_AWS_59:public on purpose\n  rest_api_id')


def test_no_inline_suppressions_judges_what_checkov_skip_comments_hide(tmp_path, real_checkov):
    (tmp_path / "main.tf").write_text(SKIPPED_METHOD)
    args = ("scan", ".", "--checkov", str(real_checkov), "--format", "json")
    done = gateaudit(*args, cwd=tmp_path, env=dict(os.environ))
    assert [r["status"] for r in checkov_results(done, "CKV_AWS_59")] == ["suppressed"]
    done = gateaudit(*args, "--no-inline-suppressions", cwd=tmp_path, env=dict(os.environ))
    assert [r["status"] for r in checkov_results(done, "CKV_AWS_59")] == ["failed"], done.stderr
    assert done.returncode == 1


@pytest.mark.parametrize("suppressions", [True, False])
def test_a_checkov_that_still_skips_gives_unknown_under_no_inline_suppressions(tmp_path, fake_checkov, suppressions):
    report = {"check_type": "terraform",
              "results": {"passed_checks": [], "failed_checks": [], "parsing_errors": [], "skipped_checks": [{
                  "check_id": "CKV_AWS_59", "check_name": "Ensure there is no open access to back-end resources",
                  "check_result": {"result": "SKIPPED", "suppress_comment": "public on purpose"},
                  "resource": "aws_api_gateway_method.get", "file_abs_path": str(tmp_path / "main.tf"),
                  "file_line_range": [5, 11]}]},
              "summary": {"passed": 0, "failed": 0, "skipped": 1, "parsing_errors": 0, "resource_count": 1,
                          "checkov_version": "3.3.30"}}
    checkov = fake_checkov(f"import json\nprint(json.dumps({report!r}))\n")
    (tmp_path / "main.tf").write_text(SKIPPED_METHOD)
    flags = () if suppressions else ("--no-inline-suppressions",)
    done = gateaudit("scan", ".", "--checkov", str(checkov), "--format", "json", *flags, cwd=tmp_path,
                     env=dict(os.environ))
    [result] = checkov_results(done, "CKV_AWS_59")
    if suppressions:
        assert result["status"] == "suppressed"
    else:
        assert result["status"] == "unknown"
        assert "checkov:skip comment, which --no-inline-suppressions does not accept" in result["message"]


def test_what_skip_path_skips_checkov_does_not_judge_either(tmp_path, real_checkov):
    (tmp_path / "legacy").mkdir()
    (tmp_path / "legacy" / "main.tf").write_text(OPEN_METHOD)
    (tmp_path / "main.tf").write_text(OPEN_METHOD.replace('"fitness"', '"kept"').replace('"NONE"', '"AWS_IAM"'))
    done = gateaudit("scan", ".", "--checkov", str(real_checkov), "--format", "json", "--skip-path", "legacy",
                     cwd=tmp_path, env=dict(os.environ))
    report = json.loads(done.stdout)
    assert report["skipped"] == [{"path": "legacy", "reason": "--skip-path legacy"}]
    checkov = [r for r in report["results"] if r["source"] == "checkov"]
    assert checkov and all(not r["file"].startswith("legacy/") for r in checkov), checkov
