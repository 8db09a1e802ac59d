"""Benchmark: gateaudit against the floor (python-hcl2 parsing alone) and the peer (Checkov).

For each corpus — the reference stack, and generated API Gateway stacks of 100 and 1,000 `.tf` files
(services with modules, variables, IAM policies and ~100-line files) — it prints, from one run:
- python-hcl2 parse alone (`hcl2.parses_to_tree`), one process and two: the floor;
- `gateaudit scan` as a user runs it:
  - first run: no cache at all, so the grammar's tables are built from python-hcl2's and kept;
  - cold: nothing of this tree in the cache (the tables kept from an earlier run);
  - warm: the same tree again (the scan cache's judgement, checked against every file);
  - one file changed: the scan cache misses, the parse cache has every other file;
- for the generated corpora, the plan Terraform would write for them (`bench/plan_corpus.py`: each service a
  module of one plan, ~13,500 resource instances for the 1,000 files), scanned cold as the HCL is: the plan
  alone, and the plan with its configuration beside it (a copy of the corpus with the root module calling
  the services), whose HCL is parsed too to place each result at its line;
- Checkov with only its Terraform framework, from `.venv-checkov` (`make checkov`), where it exists (best
  of the same number of runs as gateaudit, but once on the 1,000-file corpus);
- the peak memory (max RSS) of each process measured;
- issue 7's targets, and issue 16's (the plan scanned cold at least as fast as the HCL), each a ratio from
  this run, met or not.
gateaudit's modules are byte-compiled first, as pip does when it installs a package (an editable install
in an environment with PYTHONDONTWRITEBYTECODE would otherwise compile them again on every run).

Usage: python bench/speed.py [--corpus reference|100|1000 ...] [--repeat N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"

MODULE = '''variable "name" {
  type        = string
  description = "Prefix for the authorizer's resources."
}

variable "retention_in_days" {
  type    = number
  default = 90
}

locals {
  function_name = "${var.name}-authorizer"
}

resource "aws_secretsmanager_secret" "api_key" {
  name = "${var.name}/api-key"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.retention_in_days
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name               = local.function_name
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

data "aws_iam_policy_document" "this" {
  statement {
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.api_key.arn]
  }
  statement {
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }
}

resource "aws_iam_role_policy" "this" {
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_lambda_function" "this" {
  function_name = local.function_name
  role          = aws_iam_role.this.arn
  runtime       = "python3.12"
  handler       = "handler.handler"
  filename      = "authorizer.zip"
  environment {
    variables = {
      API_KEY_SECRET_ARN = aws_secretsmanager_secret.api_key.arn
    }
  }
}

output "invoke_arn" {
  value = aws_lambda_function.this.invoke_arn
}

output "function_name" {
  value = aws_lambda_function.this.function_name
}
'''

SERVICE_MAIN = '''variable "stage_name" {
  type    = string
  default = "prod"
}

resource "aws_api_gateway_rest_api" "api" {
  name = "{svc}"
}

module "authorizer" {
  source = "../modules/authorizer"
  name   = "{svc}"
}

resource "aws_api_gateway_authorizer" "key" {
  name                             = "{svc}-key"
  rest_api_id                      = aws_api_gateway_rest_api.api.id
  type                             = "REQUEST"
  identity_source                  = "method.request.header.x-api-key"
  authorizer_uri                   = module.authorizer.invoke_arn
  authorizer_result_ttl_in_seconds = 300
}

resource "aws_lambda_permission" "authorizer" {
  action        = "lambda:InvokeFunction"
  function_name = module.authorizer.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_api_gateway_rest_api.api.execution_arn}/authorizers/${aws_api_gateway_authorizer.key.id}"
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/{svc}"
  retention_in_days = 90
}

resource "aws_api_gateway_deployment" "api" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_api_gateway_stage" "api" {
  rest_api_id          = aws_api_gateway_rest_api.api.id
  deployment_id        = aws_api_gateway_deployment.api.id
  stage_name           = var.stage_name
  xray_tracing_enabled = true
  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId = "$context.requestId"
      status    = "$context.status"
    })
  }
}

resource "aws_api_gateway_method_settings" "all" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  stage_name  = aws_api_gateway_stage.api.stage_name
  method_path = "*/*"
  settings {
    logging_level      = "ERROR"
    metrics_enabled    = true
    data_trace_enabled = false
  }
}
'''

METHODS = '''resource "aws_api_gateway_resource" "r{n}" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items{n}"
}

resource "aws_api_gateway_method" "m{n}" {
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.r{n}.id
  http_method   = "GET"
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.key.id
}

resource "aws_api_gateway_integration" "i{n}" {
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.r{n}.id
  http_method = aws_api_gateway_method.m{n}.http_method
  type        = "MOCK"
  request_templates = {
    "application/json" = jsonencode({ statusCode = 200 })
  }
}

'''


def generate(folder: Path, files: int) -> None:
    """`files` .tf files: one shared module, then services of one main file and method files."""
    (folder / "modules" / "authorizer").mkdir(parents=True)
    (folder / "modules" / "authorizer" / "main.tf").write_text(MODULE)
    written, service = 1, 0
    while written < files:
        svc = f"svc{service:03}"
        (folder / svc).mkdir()
        (folder / svc / "main.tf").write_text(SERVICE_MAIN.replace("{svc}", svc))
        written += 1
        for part in range(min(9, files - written)):
            text = "".join(METHODS.replace("{n}", str(part * 4 + k)) for k in range(4))
            (folder / svc / f"methods_{part}.tf").write_text(text)
            written += 1
        service += 1


def measure(command: list[str], env: dict | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB of the process, exit code."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


PARSE_ONLY = '''
import sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
import hcl2
from hcl2.parser import parser
parser()
texts = [p.read_text() for p in sorted(Path(sys.argv[1]).rglob("*.tf"))]
workers = int(sys.argv[2])
def parse(text):
    hcl2.parses_to_tree(text)  # the tree stays in the worker: this measures parsing alone
if workers == 1:
    for text in texts:
        parse(text)
else:
    with ProcessPoolExecutor(workers) as pool:
        list(pool.map(parse, texts, chunksize=max(1, len(texts) // (workers * 4))))
'''


def write_plans(folder: Path, base: Path) -> tuple[Path, Path, str]:
    """The corpus's plan alone (in a folder with no configuration) and beside its configuration (a copy of the
    corpus with the root module that calls its services): both paths, and what bench/plan_corpus.py says of it.
    Written by a process of its own: this one stays small, as each process it measures starts with its size."""
    alone, beside = base / "plan", base / "plan-beside"
    for place in (alone, beside):
        shutil.rmtree(place, ignore_errors=True)
    alone.mkdir(parents=True)
    shutil.copytree(folder, beside)
    done = subprocess.run([sys.executable, str(Path(__file__).with_name("plan_corpus.py")), str(folder),
                           str(alone / "plan.json"), "--root-module", str(beside / "main.tf")],
                          check=True, capture_output=True, text=True)
    shutil.copy(alone / "plan.json", beside / "plan.json")
    return alone / "plan.json", beside / "plan.json", done.stdout.strip().split(": ", 1)[-1]


def run_corpus(name: str, folder: Path, repeat: int,
               plans: tuple[Path, Path] | None = None) -> list[tuple[str, float, float]]:
    rows = []
    python = sys.executable

    def best(label: str, command: list[str], env: dict | None = None, fresh_cache: bool = False,
             runs: int | None = None, before=None) -> None:
        times, peaks = [], []
        for _ in range(runs or repeat):
            if fresh_cache:
                shutil.rmtree(env["GATEAUDIT_CACHE_DIR"], ignore_errors=True)
            if before is not None:
                before()
            seconds, peak, _ = measure(command, env)
            times.append(seconds)
            peaks.append(peak)
        rows.append((label, min(times), max(peaks)))

    best("python-hcl2 parse, 1 process (floor)", [python, "-c", PARSE_ONLY, str(folder), "1"])
    best("python-hcl2 parse, 2 processes (floor)", [python, "-c", PARSE_ONLY, str(folder), "2"])
    cache = tempfile.mkdtemp(prefix="gateaudit-bench-cache-")
    env = {"GATEAUDIT_CACHE_DIR": cache}
    scan = [python, "-m", "gateaudit", "scan", str(folder), "--format", "json", "--output", os.devnull]
    best("gateaudit scan, first run (no cache)", scan, env, fresh_cache=True)
    best("gateaudit scan, cold", scan, env, before=lambda: _forget_scans(cache))
    measure(scan, env)  # fill the cache
    best("gateaudit scan, warm (unchanged tree)", scan, env)
    if name != "reference":  # never touch the repository's own files
        changed = sorted(folder.rglob("methods_0.tf"))[0]
        original = changed.read_text()

        def touch_one() -> None:
            changed.write_text(changed.read_text() + f"\n# edit {time.time_ns()}\n")

        try:
            best("gateaudit scan, one file changed", scan, env, before=touch_one)
        finally:
            changed.write_text(original)
    labels = ("gateaudit scan plan.json, cold", "plan.json + its HCL beside (parsed), cold")
    for label, plan in zip(labels, plans, strict=True) if plans else ():
        best(label, [python, "-m", "gateaudit", "scan", str(plan), "--format", "json", "--output", os.devnull], env,
             before=lambda: _forget_scans(cache))  # measured as the HCL cold scan is
    shutil.rmtree(cache, ignore_errors=True)
    if CHECKOV.exists():
        best("checkov --framework terraform", [str(CHECKOV), "-d", str(folder), "--framework", "terraform",
                                                "--quiet", "-o", "json", "--skip-download"],
             runs=1 if name == "1000" else None)  # half a minute a run there: once
    return rows


def _forget_scans(cache: str) -> None:
    """Empty the parse and scan caches, keeping the grammar's tables: a tree never scanned before."""
    for version in Path(cache).glob("parse-*"):
        for entry in version.iterdir():
            if entry.is_dir():
                shutil.rmtree(entry)


# issue 7's targets, each a ratio of two measurements from the same run: (what, slower, faster, at least)
TARGETS = {
    "reference": [("cold at least 10x faster than Checkov", "checkov", "cold", 10)],
    "1000": [("cold at most 1.3x the parse on two processes", "floor2", "cold", 1 / 1.3),
             ("cold at least 3.5x faster than Checkov", "checkov", "cold", 3.5),
             ("warm at most 10% of cold", "cold", "warm", 10),
             ("warm at least 30x faster than Checkov", "checkov", "warm", 30),
             ("plan.json cold at least as fast as the HCL cold scan", "cold", "plan", 1)],
    "100": [("plan.json cold at least as fast as the HCL cold scan", "cold", "plan", 1)],
}
LABELS = {"checkov": "checkov", "cold": "scan, cold", "warm": "warm (unchanged", "floor2": "2 processes",
          "plan": "scan plan.json, cold"}


def report_targets(name: str, rows: list[tuple[str, float, float]]) -> None:
    def seconds(short: str) -> float | None:
        return next((s for label, s, _ in rows if LABELS[short] in label), None)

    for text, slower, faster, least in TARGETS.get(name, []):
        a, b = seconds(slower), seconds(faster)
        if a is None or b is None:
            print(f"  target: {text}: not measured (no {LABELS[slower] if a is None else LABELS[faster]} row)")
            continue
        shown = f"{b / a:.2f}x" if least < 1 else (f"{100 * b / a:.1f}%" if "%" in text else f"{a / b:.1f}x")
        print(f"  target: {text}: {shown} -> {'met' if a / b >= least else 'NOT met'}")
    if name == "1000":
        peak = next(p for label, _, p in rows if LABELS["cold"] in label)
        print(f"  target: peak memory at most 300 MB: {peak:.0f} MB -> {'met' if peak <= 300 else 'NOT met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", action="append", choices=["reference", "100", "1000"])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best time is shown")
    parser.add_argument("--keep", type=Path, help="generate the corpora into this folder and keep them")
    args = parser.parse_args()
    corpora = args.corpus or ["reference", "100", "1000"]
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "checker"), str(ROOT / "rules"),
                    str(ROOT / "reports")], check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory() as temporary:
        base = args.keep or Path(temporary)
        for name in corpora:
            if name == "reference":
                folder = ROOT / "stack" / "terraform"
            else:
                folder = base / f"corpus-{name}"
                shutil.rmtree(folder, ignore_errors=True)
                folder.mkdir(parents=True)
                generate(folder, int(name))
            files = list(folder.rglob("*.tf"))
            lines = sum(p.read_text().count("\n") for p in files)
            plans = None
            if name != "reference":
                alone, beside, written = write_plans(folder, base / f"plan-{name}")
                plans = (alone, beside)
            rows = run_corpus(name, folder, args.repeat, plans)
            floor = next(seconds for label, seconds, _ in rows if "2 processes" in label)
            print(f"\ncorpus {name}: {len(files)} files, {lines} lines")
            if plans:
                print(f"  its plan (bench/plan_corpus.py): {written}")
            print(f"  {'measurement':<42} {'seconds':>8} {'x floor':>8} {'peak MB':>8}")
            for label, seconds, peak in rows:
                print(f"  {label:<42} {seconds:8.2f} {seconds / floor:8.2f} {peak:8.0f}")
            report_targets(name, rows)


if __name__ == "__main__":
    main()
