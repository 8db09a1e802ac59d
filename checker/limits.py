"""Limits that keep a scan's time and memory bounded whatever the scanned files hold.

Each is a module-level constant; `--max-file-size` and `--max-scan-size` set the file sizes for one scan
(`ScanOptions`). Input over a size limit is never skipped quietly: it is a scan error (exit 2) naming the file,
the limit and how to raise it. A value over an evaluation limit is `unknown`, naming the limit.
"""

from __future__ import annotations

import argparse
import re

MAX_FILE_SIZE = 10 * 1024 * 1024  # bytes per .tf/.tf.json/.tfvars file: python-hcl2 parses ~0.1 MB/s
# Bytes of every file one scan reads, added up: what is read is kept, parsed, for the whole scan (typical
# Terraform about 35 bytes of model per byte, one number after another about 100).
MAX_SCAN_SIZE = 32 * 1024 * 1024
# bytes of a plan or state JSON named on the command line (or --max-file-size, if larger): ~20,000 resources;
# json.loads holds about eight times it in memory
MAX_PLAN_SIZE = 64 * 1024 * 1024
# A parse worker's memory, as a multiple of the file size limit: lark's tree of typical Terraform takes about
# 95 bytes per byte of source, of `1, 1, 1, ...` about 400; a worker over it stops with a scan error.
PARSE_MEMORY_PER_BYTE = 200
MIN_PARSE_MEMORY = 256 * 1024 * 1024
# Brackets, braces, blocks, calls, operators and traversal steps inside each other, per file. Python's
# recursion limit bounds what can be parsed and evaluated; 100 is far beyond real Terraform and well
# inside that bound, so it is fixed rather than overridable.
MAX_NESTING_DEPTH = 100
# Evaluating one expression: steps (sub-expressions evaluated, locals included) and the size of a value
# (string characters, or list and map elements counted through every level). Terraform input can double a
# value with each local (`a1 = "${local.a0}${local.a0}"`): without these, 60 locals take forever.
MAX_EVALUATION_STEPS = 200_000
MAX_VALUE_SIZE = 1_000_000
# The same, for a whole scan: the budget every expression of every file and module instance draws on, so
# that ten small files, or one expression evaluated for a thousand instances, cannot multiply the limits
# above. Value sizes count what evaluation builds and what functions are handed (characters, or elements).
MAX_SCAN_EVALUATION_STEPS = 1_000_000
MAX_SCAN_VALUE_SIZE = 10_000_000
# Resource, data and module instances in one scan (count, for_each, dynamic blocks and module calls multiply
# them): an expansion past it is judged once, as unknown; a module call past it is not loaded.
MAX_SCAN_INSTANCES = 50_000
# The three scan budgets above are for each SCAN_BUDGET_BYTES of files read, and at least that much. A
# monorepo of 10,000 files (25 MB, 108,000 instances) is judged whole; a small file cannot multiply its way
# past the budgets, and padding a repository buys room only in proportion to the bytes it makes gateaudit
# read (at most --max-scan-size: by default 8 times the budgets).
SCAN_BUDGET_BYTES = 4 * 1024 * 1024
# Python reads at most this many digits as an integer (sys.get_int_max_str_digits()); Terraform's numbers
# have no such limit, so a longer number, or an arithmetic result longer than it, is unknown.
MAX_NUMBER_DIGITS = 4300


def scan_budget(limit: int, bytes_read: int) -> int:
    """A scan budget (`limit` for each SCAN_BUDGET_BYTES of files read) for a scan that has read `bytes_read`."""
    return max(limit, limit * bytes_read // SCAN_BUDGET_BYTES)


def parse_memory(max_file_size: int) -> int:
    """The memory a parse worker may take beyond what it starts with, for a scan's file size limit."""
    return max(MIN_PARSE_MEMORY, PARSE_MEMORY_PER_BYTE * max_file_size)


_SIZE = re.compile(r"(\d+)\s*([kmg]i?b?|b)?", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(text: str) -> int:
    """`10485760`, `512k`, `10M`, `10MB`, `1GiB` → bytes (binary units)."""
    match = _SIZE.fullmatch(text.strip())
    if match is None:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (examples: 10485760, 512k, 20M)")
    value = int(match.group(1)) * _UNITS[(match.group(2) or "")[:1].lower()]
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 bytes: {text!r}")
    return value


def show_size(size: int) -> str:
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            shown = f"{size / factor:.1f}".removesuffix(".0")
            return f"{shown} {unit}"
    return f"{size} bytes"

