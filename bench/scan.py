"""Benchmark: gateaudit's scan time beside python-hcl2's bare parse time on the same files.

Generates a REST API with 1,000 methods guarded by one REQUEST authorizer (one method left open), in 100
files of 10 methods each with their resources and integrations, then prints:
- python-hcl2 alone: `hcl2.loads` (its usual API) and `hcl2.parses_to_tree` (its lark parse, the grammar
  gateaudit runs faster: checker/grammar.py) over every file, in one process;
- `gateaudit scan` as a user runs it (a fresh process, JSON to /dev/null), best of three.
Parsing is the floor; the model and the rules should add little to it.

Usage: python bench/scan.py [--methods N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = '''
resource "aws_api_gateway_rest_api" "api" {
  name = "bench"
}

resource "aws_api_gateway_authorizer" "api_key" {
  name                             = "api-key"
  rest_api_id                      = aws_api_gateway_rest_api.api.id
  type                             = "REQUEST"
  identity_source                  = "method.request.header.x-api-key"
  authorizer_uri                   = aws_lambda_function.authorizer.invoke_arn
  authorizer_result_ttl_in_seconds = 300
}

resource "aws_cloudwatch_log_group" "authorizer" {
  name              = "/aws/lambda/bench-authorizer"
  retention_in_days = 30
}

resource "aws_lambda_function" "authorizer" {
  function_name = "bench-authorizer"
  role          = "arn:aws:iam::123456789012:role/bench"
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
}
'''

METHOD = '''
resource "aws_api_gateway_resource" "r{n}" {{
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items{n}"
}}

resource "aws_api_gateway_method" "m{n}" {{
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.r{n}.id
  http_method   = "GET"
  authorization = {authorization}
  authorizer_id = aws_api_gateway_authorizer.api_key.id
  request_parameters = {{
    "method.request.header.x-api-key" = true
  }}
}}

resource "aws_api_gateway_integration" "i{n}" {{
  rest_api_id             = aws_api_gateway_rest_api.api.id
  resource_id             = aws_api_gateway_resource.r{n}.id
  http_method             = aws_api_gateway_method.m{n}.http_method
  type                    = "MOCK"
  request_templates = {{
    "application/json" = jsonencode({{ statusCode = 200 }})
  }}
}}
'''


def generate(folder: Path, methods: int, per_file: int = 10) -> int:
    (folder / "main.tf").write_text(HEADER)
    files = 1
    for start in range(0, methods, per_file):
        chunk = []
        for n in range(start, min(start + per_file, methods)):
            chunk.append(METHOD.format(n=n, authorization='"NONE"' if n == methods // 2 else '"CUSTOM"'))
        (folder / f"methods_{start // per_file:03}.tf").write_text("".join(chunk))
        files += 1
    return files


def time_parse(folder: Path) -> tuple[float, float]:
    import hcl2

    texts = [p.read_text() for p in sorted(folder.glob("*.tf"))]
    hcl2.parses_to_tree("a = 1\n")  # build the parser once, as any long run would
    start = time.perf_counter()
    for text in texts:
        hcl2.loads(text)
    loads = time.perf_counter() - start
    start = time.perf_counter()
    for text in texts:
        hcl2.parses_to_tree(text)
    tree = time.perf_counter() - start
    return loads, tree


def time_phases(folder: Path) -> tuple[float, float]:
    """In one process: loading (read, parse, build the model) and judging (every rule)."""
    from gateaudit.engine import run_rules
    from gateaudit.modules import load
    from gateaudit.rules import load_rules

    rules = load_rules()
    start = time.perf_counter()
    stack, _ = load([folder], use_cache=False)
    loaded = time.perf_counter() - start
    start = time.perf_counter()
    run_rules(stack, rules)
    return loaded, time.perf_counter() - start


def time_scan(folder: Path, *extra: str) -> tuple[float, dict]:
    best = float("inf")
    report: dict = {}
    for _ in range(3):
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "gateaudit", "scan", str(folder), "--format", "json", *extra],
                              capture_output=True, text=True, check=False)
        best = min(best, time.perf_counter() - start)
        report = json.loads(done.stdout)
    return best, report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--methods", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        folder = args.keep or Path(temporary)
        folder.mkdir(parents=True, exist_ok=True)
        files = generate(folder, args.methods)
        lines = sum(p.read_text().count("\n") for p in folder.glob("*.tf"))
        loads, tree = time_parse(folder)
        os.environ["GATEAUDIT_CACHE_DIR"] = str(Path(temporary) / "cache")  # never the user's cache
        loaded, judged = time_phases(folder)
        scan, report = time_scan(folder, "--no-cache")
        warm, _ = time_scan(folder)  # the first of these fills the cache; the best is a warm run
    failed = [r["resource"] for r in report["results"] if r["status"] == "failed"]
    print(f"corpus: {args.methods} methods, {files} files, {lines} lines")
    print(f"python-hcl2 hcl2.loads (one process):           {loads:6.2f} s")
    print(f"python-hcl2 hcl2.parses_to_tree (one process):  {tree:6.2f} s   <- the floor")
    print(f"gateaudit load: parse + model (in process):     {loaded:6.2f} s")
    print(f"gateaudit rules: all {len(report['results'])} results (in process):  {judged:6.2f} s")
    print(f"gateaudit scan, whole CLI run, --no-cache (best of 3): {scan:5.2f} s  ({scan / tree:.2f}x the floor)")
    print(f"gateaudit scan, whole CLI run, warm (best of 3):       {warm:5.2f} s  (the same tree again)")
    print(f"verdict: exit {report['exit_code']}, failed: {', '.join(failed) or 'none'}")


if __name__ == "__main__":
    main()
