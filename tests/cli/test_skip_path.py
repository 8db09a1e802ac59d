"""`--skip-path PATTERN` skips folders and files knowingly, and every report lists what was skipped and why
(issue 13): a scan that leaves something out says so, in every format a reviewer or a machine reads."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from gateaudit import cli

OPEN = '''resource "aws_api_gateway_method" "%s" {
  rest_api_id   = "a"
  resource_id   = "b"
  http_method   = "GET"
  authorization = "NONE"
}
'''
GUARDED = (OPEN % "root").replace('"NONE"', '"AWS_IAM"')


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "infra"
    for name, text in {"main.tf": GUARDED, **files}.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return folder


def scan(folder: Path, *args: str, command: str = "scan") -> tuple[int, dict]:
    out = folder.parent / "report.json"
    code = cli.main([command, str(folder), "--no-cache", "--format", "json", "--output", str(out), *args])
    return code, json.loads(out.read_text())


def judged(report: dict) -> list[str]:
    return sorted(r["resource"] for r in report["results"])


@pytest.mark.parametrize(("pattern", "skipped", "left"), [
    ("legacy", ["apps/legacy", "legacy"], ["aws_api_gateway_method.gen", "aws_api_gateway_method.new",
                                           "aws_api_gateway_method.root"]),
    ("./legacy/", ["legacy"], ["aws_api_gateway_method.gen", "aws_api_gateway_method.new",
                               "aws_api_gateway_method.old_app", "aws_api_gateway_method.root"]),
    ("apps/*", ["apps/legacy", "apps/new"], ["aws_api_gateway_method.old", "aws_api_gateway_method.root"]),
    ("**/legacy/old.tf", ["apps/legacy/old.tf", "legacy/old.tf"],
     ["aws_api_gateway_method.gen", "aws_api_gateway_method.new", "aws_api_gateway_method.root"]),
    ("*_generated.tf", ["apps/new/x_generated.tf"], ["aws_api_gateway_method.new", "aws_api_gateway_method.old",
                                                     "aws_api_gateway_method.old_app", "aws_api_gateway_method.root"]),
], ids=["name", "anchored", "star", "doublestar", "file_name"])
def test_skip_path_skips_what_the_glob_names_and_lists_it(pattern, skipped, left, tmp_path):
    folder = tree(tmp_path, {"legacy/old.tf": OPEN % "old", "apps/legacy/old.tf": OPEN % "old_app",
                             "apps/new/main.tf": OPEN % "new", "apps/new/x_generated.tf": OPEN % "gen"})
    code, report = scan(folder, "--skip-path", pattern)
    assert judged(report) == left
    assert report["skipped"] == [{"path": path, "reason": f"--skip-path {pattern}"} for path in skipped]
    assert code == (1 if len(left) > 1 else 0)


def test_skip_path_on_a_called_module_folder_is_a_module_not_scanned(tmp_path):
    folder = tree(tmp_path, {"calls.tf": 'module "old" {\n  source = "./legacy"\n}\n', "legacy/main.tf": OPEN % "old"})
    code, report = scan(folder, "--skip-path", "legacy")
    assert judged(report) == ["aws_api_gateway_method.root", *["module.old"] * 4]
    assert report["not_scanned"] == [{"module": "module.old", "source": "./legacy", "file": "calls.tf", "line": 1,
                                      "reason": "skipped by --skip-path legacy"}]
    # What it may define was judged by no rule (GA100...GA400), and that was chosen on the command line: shown,
    # suppressed with the reason, not failing the gate.
    gaps = [r for r in report["results"] if r["resource"] == "module.old"]
    assert {(r["status"], r["suppression"]["source"]) for r in gaps} == {("suppressed", "command-line")}
    assert gaps[0]["suppression"]["reason"] == "its folder is skipped by --skip-path legacy: not read, on purpose"
    assert code == 0


def test_baseline_takes_skip_path(tmp_path):
    folder = tree(tmp_path, {"legacy/old.tf": OPEN % "old"})
    baseline = tmp_path / "baseline.json"
    assert cli.main(["baseline", str(folder), "--skip-path", "legacy", "--output", str(baseline)]) == 0
    assert json.loads(baseline.read_text())["entries"] == []


def test_every_report_format_lists_what_was_skipped(tmp_path):
    folder = tree(tmp_path, {"legacy/old.tf": OPEN % "old", ".terraform/modules/m/main.tf": OPEN % "cached"})
    out = tmp_path / "reports"
    formats = ["text", "json", "sarif", "junit", "markdown", "html"]
    code = cli.main(["scan", str(folder), "--no-cache", "--skip-path", "legacy", "--output-dir", str(out),
                     *(arg for name in formats for arg in ("--format", name))])
    assert code == 0
    reports = {path.suffix: path.read_text() for path in out.iterdir()}
    assert "skipped: legacy: --skip-path legacy" in reports[".txt"]
    assert "skipped: .terraform: .terraform: Terraform's working folder" in reports[".txt"]
    assert {"path": "legacy", "reason": "--skip-path legacy"} in json.loads(reports[".json"])["skipped"]
    run = json.loads(reports[".sarif"])["runs"][0]
    assert {"path": "legacy", "reason": "--skip-path legacy"} in run["properties"]["skipped"]
    notes = [n["message"]["text"] for n in run["invocations"][0]["toolExecutionNotifications"]]
    assert "not scanned, on purpose: --skip-path legacy" in notes
    suites = ET.fromstring(reports[".xml"])
    properties = {p.get("name"): p.get("value") for p in suites.iter("property")}
    assert properties["gateaudit.skipped.legacy"] == "--skip-path legacy"
    assert "| <code>legacy</code> | --skip-path legacy |" in reports[".md"]
    assert "<td><code>legacy</code></td>" in reports[".html"] and "--skip-path legacy" in reports[".html"]


def test_the_skip_paths_are_part_of_the_scan_cache_key(tmp_path, monkeypatch):
    monkeypatch.setenv("GATEAUDIT_CACHE_DIR", str(tmp_path / "cache"))
    folder = tree(tmp_path, {"legacy/old.tf": OPEN % "old"})
    out = tmp_path / "r.json"
    assert cli.main(["scan", str(folder), "--format", "json", "--output", str(out)]) == 1
    assert cli.main(["scan", str(folder), "--skip-path", "legacy", "--format", "json", "--output", str(out)]) == 0
    assert json.loads(out.read_text())["skipped"] == [{"path": "legacy", "reason": "--skip-path legacy"}]
