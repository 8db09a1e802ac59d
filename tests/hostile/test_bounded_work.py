"""Bounded work on small hostile files (issue 13): a few kilobytes must not buy minutes or gigabytes.

Each case runs gateaudit as a user does, in a subprocess whose timeout only guards against a hang, and asserts
the outcome: the results the bound affects are `unknown` and name it (exit 1), or the scan stops with exit 2
naming the limit and how to raise it; never an internal error, never a pass for what was not judged.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

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
    (tmp_path / ".git").mkdir()  # the repository root: every folder called lies inside it
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


# ------------------------------------------------------------------------------ functions and numbers


def test_a_catastrophic_regex_runs_in_linear_time(tmp_path):
    """RE2, as Terraform: `(a+)+$` over "aaaa…b" is decided at once (Python's re backtracks for ages)."""
    (tmp_path / "main.tf").write_text('variable "x" {\n  default = "' + "a" * 30_000 + 'b"\n}\n' + method(
        "m", 'replace(var.x, "/(a+)+$/", "") == var.x ? "NONE" : "CUSTOM"'))
    done = scan(tmp_path)
    assert_clean(done)
    assert done.returncode == 1 and 'authorization is "NONE"' in done.stdout, done.stdout[-2000:]


@pytest.mark.parametrize(("expression", "text"), [
    ('replace("abc", "/(/", "")', "replace(): invalid regular expression"),
    ('format("%999999999d", 1)', "format(): a width or precision of 999999999"),
    ('format("%.999999999f", 1)', "format(): a width or precision of 999999999"),
    ("1" + "0" * 5000, "a number of 5001 digits is not evaluated"),
    ('tonumber("' + "9" * 5000 + '")', "a number of more than 4300 digits"),
], ids=["invalid_regex", "format_width", "format_precision", "5000_digit_literal", "5000_digit_string"])
def test_a_hostile_expression_is_a_clean_unknown_on_that_expression(expression, text, tmp_path):
    (tmp_path / "main.tf").write_text(method("m", f'{expression} == "" ? "NONE" : "CUSTOM"'))
    done = scan(tmp_path)
    assert_clean(done)
    assert done.returncode == 1 and "UNKNOWN GA101" in done.stdout and text in done.stdout, done.stdout[-2000:]


def test_a_5000_digit_number_in_terraform_json_is_a_clean_unknown(tmp_path):
    (tmp_path / "main.tf.json").write_text('{"resource": {"aws_api_gateway_method": {"m": {"rest_api_id": "a", '
                                           '"resource_id": "b", "http_method": "GET", "authorization": '
                                           + "9" * 5000 + "}}}}")
    done = scan(tmp_path)
    assert_clean(done)
    assert done.returncode == 1 and "a number of 5000 digits is not evaluated" in done.stdout, done.stdout[-2000:]


def test_numbers_that_square_with_each_local_are_bounded(tmp_path):
    squares = "\n".join(f"  n{i} = local.n{i - 1} * local.n{i - 1}" for i in range(1, 40))
    (tmp_path / "main.tf").write_text(f"locals {{\n  n0 = 3\n{squares}\n}}\n" + method(
        "m", 'local.n39 > 0 ? "NONE" : "CUSTOM"'))
    done = scan(tmp_path)
    assert_clean(done)
    assert done.returncode == 1 and "a number of more than 4300 digits" in done.stdout, done.stdout[-2000:]


def cap_address_space(limit: int = 1024**3):
    """For preexec_fn: the scan (and the workers it forks) may map at most `limit` bytes."""
    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return cap


# Strings and lists of 131,072 characters or elements, doubled local by local.
STRINGS = "".join(f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"\n' for i in range(1, 17))
SIZES = 'locals {\n  s0 = "ab"\n' + STRINGS + "}\n" + doubling_locals(16)


@pytest.mark.parametrize("expression", [
    'replace(local.s16, "", local.s16)',
    'replace(local.s16, "/(?:)/", local.s16)',
    "join(local.s16, local.l16)",
    "jsonencode([for i in local.l10 : local.l16])",
    "flatten([for i in local.l10 : local.l16])",
    "concat([for i in local.l10 : local.l16]...)",
    'format(join("", [for i in local.l12 : "%s"]), [for i in local.l12 : local.s16]...)',
], ids=["replace", "replace_regex", "join", "jsonencode", "flatten", "concat", "format"])
def test_a_function_result_over_the_size_limit_is_unknown_before_it_is_built(expression, tmp_path):
    """Each would build from 17 million to 17 billion characters or elements out of a few kilobytes."""
    (tmp_path / "main.tf").write_text(SIZES + method("m", f'length({expression}) > 0 ? "NONE" : "CUSTOM"'))
    done = scan(tmp_path, preexec_fn=cap_address_space())
    assert_clean(done)
    assert done.returncode == 1 and "UNKNOWN GA101" in done.stdout, done.stdout[-2000:]
    assert "more than 1000000" in done.stdout or "over the scan's budget of 10000000" in done.stdout


# ------------------------------------------------------------------------------------- flat operator chains


@pytest.mark.parametrize("terms", [120, 10_000])
def test_a_flat_chain_of_operators_is_one_level_and_evaluates(terms, tmp_path):
    chain = " + ".join(["1"] * terms)
    (tmp_path / "main.tf").write_text(method("m", f'{chain} == {terms} ? "NONE" : "CUSTOM"'))
    done = scan(tmp_path)
    assert_clean(done)
    assert done.returncode == 1 and 'authorization is "NONE"' in done.stdout, done.stdout[-2000:]


def test_flat_chains_in_templates_json_and_heredocs(tmp_path):
    chain = " && ".join(["true"] * 2000)
    (tmp_path / "main.tf.json").write_text(json.dumps({"resource": {"aws_api_gateway_method": {"m": {
        "rest_api_id": "a", "resource_id": "b", "http_method": "GET",
        "authorization": "${" + chain + " ? \"NONE\" : \"CUSTOM\"}"}}}}))
    (tmp_path / "heredoc.tf").write_text(f'locals {{\n  h = <<EOT\n${{{chain} ? "NONE" : "CUSTOM"}}\nEOT\n}}\n'
                                         + method("h", "trimspace(local.h)"))
    done = scan(tmp_path)
    assert_clean(done)
    assert done.returncode == 1 and done.stdout.count('authorization is "NONE"') == 2, done.stdout[-2000:]


def test_parentheses_inside_a_chain_are_still_nesting(tmp_path):
    (tmp_path / "main.tf").write_text("\n" + method("m", "1 + (" * 150 + "1" + ")" * 150))
    done = scan(tmp_path)
    assert done.returncode == 2 and "main.tf:6: nested more than 100 levels deep" in done.stdout + done.stderr


# ------------------------------------------------------------------------------------------- dynamic blocks


def test_a_dynamic_block_over_the_expansion_limit_is_unknown_not_cut(tmp_path):
    """The 1,001st setting turns data trace on: cut at 1,000, the stage-wide settings would pass."""
    traces = ", ".join(["false"] * 1000 + ["true"])
    (tmp_path / "main.tf").write_text(f'''locals {{
  traces = [{traces}]
}}
resource "aws_api_gateway_method_settings" "all" {{
  rest_api_id = "a"
  stage_name  = "prod"
  method_path = "*/*"
  dynamic "settings" {{
    for_each = local.traces
    content {{
      logging_level      = "ERROR"
      data_trace_enabled = settings.value
    }}
  }}
}}
''')
    code, document = scan_json(tmp_path)
    [result] = [r for r in document["results"] if r["rule_id"] == "GA404"]
    assert (code, result["status"]) == (1, "unknown"), result
    assert 'dynamic "settings" for_each has 1001 elements, over the expansion limit of 1000' in result["message"]


# ------------------------------------------------------------------------------- bytes and parse memory


def test_a_9_mb_string_parses_in_little_memory(tmp_path):
    """python-hcl2's string, comment and heredoc patterns kept ~115 bytes per character for backtracking
    (2 GB for 9 MB); the same patterns without it fit in a quarter of a gigabyte of address space."""
    body = "a" * 9_000_000
    (tmp_path / "string.tf").write_text(f'resource "aws_s3_bucket" "b" {{\n  bucket = "{body}"\n}}\n')
    (tmp_path / "comment.tf").write_text(f"/*{body}*/\n")
    (tmp_path / "heredoc.tf").write_text(f'locals {{\n  h = <<EOT\n{body}\nEOT\n}}\n')
    done = scan("--max-file-size", "20M", tmp_path, preexec_fn=cap_address_space())  # its workers inherit it
    assert_clean(done)
    assert done.returncode == 0 and "PASS" in done.stdout, (done.stdout + done.stderr)[-2000:]


def test_the_bytes_read_per_scan_are_capped(tmp_path):
    for index in range(3):
        bucket = f'resource "aws_s3_bucket" "b{index}" {{\n  bucket = "{"x" * 500}"\n}}\n'
        (tmp_path / f"f{index}.tf").write_text(bucket)
    done = scan("--max-scan-size", "1k", tmp_path)
    assert_clean(done)
    assert done.returncode == 2
    assert ("f1.tf: the files read add up to more than the scan size limit of 1 KiB: not read, nor any file "
            "after it (raise the limit with --max-scan-size)") in done.stdout + done.stderr
    assert scan("--max-scan-size", "2k", tmp_path).returncode == 0


def test_a_parse_worker_over_its_memory_is_a_clean_error_naming_the_file(tmp_path):
    """A worker may use 200 times the file size limit: with a 2 MiB limit, 400 MiB; one number after another
    costs lark about 400 bytes of tree per byte of source."""
    (tmp_path / "dense.tf").write_text("locals {\n  x = [" + "1," * 950_000 + "]\n}\n")
    (tmp_path / "fine.tf").write_text('resource "aws_s3_bucket" "b" {}\n')
    done = scan("--max-file-size", "2M", tmp_path)
    assert_clean(done)
    assert done.returncode == 2
    assert ("dense.tf: parsing it takes more memory than a parse worker may use (400 MiB, 200 times the file "
            "size limit): not parsed (raise the limit with --max-file-size)") in done.stdout + done.stderr
    assert "fine.tf" not in done.stderr


def _children(pid: int) -> set[int]:
    try:
        return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except OSError:
        return set()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads processes from /proc (Linux)")
def test_parse_workers_end_when_the_scan_is_killed(tmp_path):
    """A CI step's timeout kills the scan (SIGKILL: no chance to clean up). Its parse workers must end with it, not
    go on parsing, on the runner's cores, what nobody will read (each of these files takes a worker seconds)."""
    import signal
    import time

    for n in range(2):  # two large files: the pool starts, one file in each worker
        (tmp_path / f"big{n}.tf").write_text(f"locals {{\n  x{n} = [" + "1, " * 600_000 + "]\n}\n")
    scan = subprocess.Popen([sys.executable, "-m", "gateaudit", "scan", "--no-cache", "--max-file-size", "8M",
                             str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + HANG_GUARD
        while len(workers) < 2 and time.monotonic() < deadline and scan.poll() is None:
            workers |= _children(scan.pid)
            time.sleep(0.05)
        assert workers, "the scan started no parse worker"
        time.sleep(0.5)  # parsing by now
        scan.send_signal(signal.SIGKILL)
        scan.wait()
        deadline = time.monotonic() + 3  # a worker left running parses for seconds more
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_alive, workers))
    finally:
        for pid in workers:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
