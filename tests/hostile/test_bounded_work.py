"""Bounded work on small hostile files (issue 13): a few kilobytes must not buy minutes or gigabytes.

Each case runs gateaudit as a user does, in a subprocess whose timeout only guards against a hang, and asserts
the outcome: the results the bound affects are `unknown` and name it (exit 1), or the scan stops with exit 2
naming the limit and how to raise it; never an internal error, never a pass for what was not judged.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

HANG_GUARD = 120  # seconds; every case here ends in a few seconds once bounded


def scan(*args: str | Path, timeout: int = HANG_GUARD, preexec_fn=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "gateaudit", "scan", "--no-cache", *map(str, args)],
                          capture_output=True, text=True, errors="replace", timeout=timeout, preexec_fn=preexec_fn,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


def assert_clean(done: subprocess.CompletedProcess) -> None:
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output[-3000:]
    assert "internal error" not in output, output[-3000:]


def scan_json(*args: str | Path, timeout: int = HANG_GUARD) -> tuple[int, dict]:
    done = scan("--format", "json", *args, timeout=timeout)
    assert_clean(done)
    return done.returncode, json.loads(done.stdout)


def method(name: str, authorization: str, extra: str = "") -> str:
    return (f'resource "aws_api_gateway_method" "{name}" {{\n{extra}  rest_api_id   = "a"\n  resource_id   = "b"\n'
            f'  http_method   = "GET"\n  authorization = {authorization}\n}}\n')


def doubling_locals(count: int, first: str = '["a", "b"]') -> str:
    """`l0` holds two elements; each next local doubles it: `l14` has 32,768 elements."""
    lines = [f"  l0 = {first}"] + [f"  l{i} = concat(local.l{i - 1}, local.l{i - 1})" for i in range(1, count + 1)]
    return "locals {\n" + "\n".join(lines) + "\n}\n"


# The 832-byte file, rebuilt (732 bytes): `count = 1000` over a 32,768-element local, each instance
# walking the whole local again (765 s before the scan had a budget).
BUDGET_BREAKER = doubling_locals(14) + method(
    "m", 'contains([for x in local.l14 : x], "NONE") ? "NONE" : "CUSTOM"', "  count         = 1000\n")
STEP_BUDGET = "over the scan's evaluation budget of 1000000 steps"


def unknown_results(document: dict, text: str) -> list[dict]:
    return [r for r in document["results"] if r["status"] == "unknown" and text in r["message"]]


def test_count_1000_over_a_32k_element_local_ends_with_unknowns_naming_the_scan_budget(tmp_path):
    (tmp_path / "main.tf").write_text(BUDGET_BREAKER)
    assert len(BUDGET_BREAKER) < 1000
    code, document = scan_json(tmp_path)
    assert code == 1
    methods = {r["resource"] for r in document["results"] if r["rule_id"] == "GA101"}
    assert methods == {f"aws_api_gateway_method.m[{i}]" for i in range(1000)}  # every instance judged or unknown
    over = unknown_results(document, STEP_BUDGET)
    assert len(over) > 900, document["summary"]
    assert all(r["status"] != "passed" for r in document["results"] if r["rule_id"] == "GA101")


def test_ten_copies_of_it_share_one_budget(tmp_path):
    for copy in range(10):
        (tmp_path / f"copy{copy}").mkdir()
        (tmp_path / f"copy{copy}" / "main.tf").write_text(BUDGET_BREAKER)
    code, document = scan_json(tmp_path)
    assert code == 1
    assert len({r["file"] for r in unknown_results(document, STEP_BUDGET)}) == 10
    assert len([r for r in document["results"] if r["rule_id"] == "GA101"]) == 10_000


def test_a_limit_met_inside_try_is_not_its_fallback(tmp_path):
    """try() moves on from an expression Terraform rejects, not from one gateaudit stopped evaluating: a
    string just over the size limit must not make the fallback `false` the verdict."""
    doubling = "\n".join(f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"' for i in range(1, 19))
    (tmp_path / "main.tf").write_text(f'''locals {{
  s0 = "ab"
{doubling}
}}
resource "aws_api_gateway_method_settings" "all" {{
  rest_api_id = "a"
  stage_name  = "prod"
  method_path = "*/*"
  settings {{
    logging_level      = "ERROR"
    data_trace_enabled = try(length("${{local.s18}}${{local.s18}}") > 0, false)
  }}
}}
''')
    code, document = scan_json(tmp_path)
    [result] = [r for r in document["results"] if r["rule_id"] == "GA404"]
    assert (code, result["status"]) == (1, "unknown"), result
    assert "a string of more than 1000000 characters" in result["message"]


def test_module_fan_out_stops_at_the_instance_budget(tmp_path):
    """17 small folders, each calling the next twice: 131,071 module instances if nothing stops it."""
    for level in range(17):
        folder = tmp_path / f"m{level:02}"
        folder.mkdir()
        if level < 16:
            calls = "".join(f'module "{name}" {{\n  source = "../m{level + 1:02}"\n}}\n' for name in ("a", "b"))
            (folder / "main.tf").write_text(calls)
        else:
            (folder / "main.tf").write_text(method("m", '"NONE"'))
    code, document = scan_json(tmp_path / "m00")
    assert code == 1
    budget = "the scan's budget of 50000 resource and module instances"
    skipped = [m for m in document["not_scanned"] if budget in m["reason"]]
    assert skipped and all(m["source"].startswith("../m") for m in skipped), document["not_scanned"][:3]
    assert len(document["results"]) < 50_000


def test_values_over_the_scans_memory_budget_are_unknown(tmp_path):
    """Each instance builds a 262,144-character string: 1,000 of them would hold 262 MB."""
    (tmp_path / "main.tf").write_text(doubling_locals(17) + method("m", 'join("", local.l17)',
                                                                   "  count         = 1000\n"))
    code, document = scan_json(tmp_path)
    assert code == 1
    over = unknown_results(document, "over the scan's budget of 10000000 characters and elements of values")
    assert len(over) > 900, document["summary"]
