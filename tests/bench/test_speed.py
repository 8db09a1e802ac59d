"""bench/speed.py: the monorepo corpus is what its rows claim to scan (every root and module read, the planted findings
and nothing else), the same on every run, and the peak memory column counts every process of the measured tree."""

import filecmp
import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def speed():
    spec = importlib.util.spec_from_file_location("gateaudit_bench_speed", ROOT / "bench" / "speed.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(sys.modules[spec.name])
    return sys.modules[spec.name]


def test_the_monorepo_has_the_files_asked_and_the_same_bytes_every_time(speed, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        folder.mkdir()
        speed.generate_monorepo(folder, 120)
    assert len(list(first.rglob("*.tf"))) == 120
    assert sorted(p.relative_to(first) for p in first.rglob("*")) == sorted(p.relative_to(second)
                                                                          for p in second.rglob("*"))
    assert all(filecmp.cmp(p, second / p.relative_to(first), shallow=False) for p in first.rglob("*") if p.is_file())
    assert len(list(first.glob("teams/*/*"))) > 10
    assert {p.name for p in first.glob("modules/*")} == {"authorizer", "access-logs", "iam-role", "backend"}
    assert list(first.rglob("terraform.tfvars"))


def test_a_scan_of_the_monorepo_reads_every_module_and_finds_only_the_planted_findings(speed, tmp_path, run_cli):
    speed.generate_monorepo(tmp_path, 400)
    done = run_cli("scan", str(tmp_path), "--no-cache", "--no-config", "--format", "json", cwd=tmp_path)
    report = json.loads(done.stdout)
    assert report["errors"] == [] and report["not_scanned"] == []
    failed = {(r["rule_id"], r["file"]) for r in report["results"] if r["status"] == "failed"}
    open_methods = {("GA101", str(p.relative_to(tmp_path))) for p in tmp_path.rglob("methods_*.tf")
                    if 'authorization = "NONE"' in p.read_text()}
    traced = {("GA404", str(p.relative_to(tmp_path))) for p in tmp_path.rglob("main.tf")
              if "data_trace_enabled = true" in p.read_text()}
    assert open_methods and traced and any("= 0" in p.read_text() for p in tmp_path.rglob("terraform.tfvars"))
    # a retention of 0 set in a root's terraform.tfvars fails on the log group of the shared authorizer module
    assert failed == open_methods | traced | {("GA405", "modules/authorizer/main.tf")}
    scanned = {Path(r["file"]).parent for r in report["results"]}
    assert {p.relative_to(tmp_path) for p in tmp_path.glob("teams/*/*")} <= scanned


MEASURE = ("import dataclasses, importlib.util, json, sys\n"
           "spec = importlib.util.spec_from_file_location('speed', sys.argv[1])\n"
           "speed = sys.modules['speed'] = importlib.util.module_from_spec(spec)\n"
           "spec.loader.exec_module(speed)\n"
           "done = speed.measure(json.loads(sys.argv[2]), sample=sys.argv[3] == 'sample')\n"
           "print(json.dumps(dataclasses.asdict(done)))")


def measure(command: list[str], sample: bool = True):
    """`speed.measure` from a fresh interpreter, as `python bench/speed.py` runs it. A command started from this
    test session (hundreds of MB by the end of `make test`) would begin with the session's pages in its
    `ru_maxrss`, which a bench run, a small process, never lends it."""
    done = subprocess.run([sys.executable, "-c", MEASURE, str(ROOT / "bench" / "speed.py"), json.dumps(command),
                           "sample" if sample else "kernel"], capture_output=True, text=True, check=True, timeout=120)
    return SimpleNamespace(**json.loads(done.stdout))


BALLAST = "import time; b = b'x' * (120 * 2**20); time.sleep(1)"
TWO_CHILDREN = ("import subprocess, sys; ballast = " + repr(BALLAST) + "; "
                "children = [subprocess.Popen([sys.executable, '-c', ballast]) for _ in range(2)]; "
                "[child.wait() for child in children]")


def test_the_peak_is_the_whole_process_trees():
    # two children of 120 MB at once: the kernel's ru_maxrss sees one of them, the tree holds both
    alone = measure([sys.executable, "-c", TWO_CHILDREN], sample=False)
    tree = measure([sys.executable, "-c", TWO_CHILDREN])
    assert alone.exit_code == tree.exit_code == 0
    assert alone.peak < 200
    assert tree.peak >= 240
    assert tree.cpu > 0.05  # the children's CPU (building 240 MB) is counted: the parent alone does next to nothing


FORKED = ("import os, time; ballast = b'x' * (300 * 2**20); time.sleep(0.5); child = os.fork()\n"
          "if child == 0:\n    time.sleep(1.5)\n    os._exit(0)\nos.waitpid(child, 0)")


def test_pages_a_forked_child_shares_with_its_parent_count_once():
    # RSS added up would say 600 MB: the child's 300 MB are its parent's pages, written by neither after the fork
    tree = measure([sys.executable, "-c", FORKED])
    assert tree.exit_code == 0
    assert 280 <= tree.peak < 420
