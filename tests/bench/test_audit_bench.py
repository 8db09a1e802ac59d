"""bench/audit.py, run small: its figures are printed and parse, the audit read every API and route it built
without an error, and the calls the snapshot counts are the calls botocore made."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_audit_bench_prints_its_figures(tmp_path: Path) -> None:
    pytest.importorskip("moto.server", reason="moto[server] is a test dependency: make install")
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "audit.py"), "--apis", "2", "--routes", "3",
                           "--keep", str(tmp_path)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    assert re.search(r"^account: 2 APIs \(1 REST, 1 HTTP\) x 3 routes, 4 functions: built in \d+\.\d\d s$", out, re.M)
    assert re.search(r"^audit: \d+\.\d\d s wall, exit [01]$", out, re.M)
    snapshot_calls, hook_calls = map(int, re.search(r"^AWS API calls: (\d+) \(snapshot\), (\d+) \(before-call hook\)$",
                                                    out, re.M).groups())
    assert snapshot_calls == hook_calls > 0
    counts = dict((status, int(n)) for n, status in re.findall(r"(\d+) (passed|failed|unknown|suppressed)", out))
    assert re.search(r"; 0 errors$", out, re.M)
    assert re.search(r"^peak RSS: \d+ MB \(.*; \d+ MB before the audit\)$", out, re.M)
    report = json.loads((tmp_path / "report.json").read_text())
    assert counts == {status: n for status, n in report["summary"].items() if status in counts}
    # Every method and route built was judged: the 3 REST methods and the 3 HTTP routes.
    judged = {result["resource"] for result in report["results"]}
    assert len({r for r in judged if r.endswith("/methods/GET")}) == 3
    assert len({r for r in judged if re.search(r"/apis/[^/]+/routes/[^/]+$", r)}) == 3
