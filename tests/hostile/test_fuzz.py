"""Fuzzing the front end (issue 8): bytes → discovery → parse → model → rules → every report format, in process.

Whatever the input, the scan must end in a verdict (exit 0/1) or scan errors (exit 2), never an exception,
never an "internal error" from a rule, within a time bound; every report format must render it.

`make test` runs a few hundred examples in all; `make fuzz` sets GATEAUDIT_FUZZ_EXAMPLES (examples per test)
so the run is well over 10,000.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from xml.etree import ElementTree

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gateaudit.engine import ScanOptions, scan
from gateaudit.reports import FORMATS, renderer

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "stack" / "terraform"
EXAMPLES = int(os.environ.get("GATEAUDIT_FUZZ_EXAMPLES", "0"))
FUZZ = settings(
    max_examples=EXAMPLES or 100,
    deadline=timedelta(seconds=10),  # the time bound per input (generous: the first scans import and warm up)
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    derandomize=not EXAMPLES,  # `make test` is repeatable; `make fuzz` explores
    database=None,
)


def scan_and_render(folder: Path, use_cache: bool = False) -> None:
    report = scan(ScanOptions(paths=[folder], display_paths=[str(folder)], use_config=False, use_cache=use_cache))
    assert report.exit_code in (0, 1, 2)
    if report.errors:
        assert report.exit_code == 2
    bugs = [str(e) for e in report.errors if "internal error" in e.message]
    assert not bugs, bugs
    for name in FORMATS:
        module = renderer(name)
        rendered = module.render(report, verbose=True) if name == "text" else module.render(report)
        assert isinstance(rendered, str)
        rendered.encode("utf-8")  # what gets written: must encode whatever the input held
        if name in ("json", "sarif"):
            json.loads(rendered)  # valid JSON whatever bytes the input held
        elif name == "junit":
            ElementTree.fromstring(rendered)  # valid XML: control characters from the input are handled


def scan_files(files: dict[str, bytes], use_cache: bool = False) -> None:
    folder = Path(tempfile.mkdtemp(prefix="gateaudit-fuzz-"))
    try:
        for name, data in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        scan_and_render(folder, use_cache)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ------------------------------------------------------------------------------------------ raw bytes

@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["main.tf", "main.tf.json", "terraform.tfvars"]))
def test_any_bytes(data, name):
    files = {name: data}
    if name == "terraform.tfvars":
        files["main.tf"] = b'variable "x" {}\n'
    scan_files(files)


# ------------------------------------------------------------------------ HCL-shaped token soup

TOKENS = [
    'resource "aws_api_gateway_method" "m" {', 'resource "aws_lambda_function" "f" {', 'module "m" {',
    'variable "v" {', "locals {", "dynamic \"x\" {", "content {", "{", "}", "[", "]", "(", ")", "=", ",", ":",
    "?", "...", "=>", "\n", " ", '"', '"${', "}\"", "%{ if true }", "%{ endif }", "<<EOT\n", "<<-EOT\n", "\nEOT\n",
    "authorization", "authorizer_id", "http_method", "rest_api_id", "source", "count", "for_each", "policy",
    "environment", "variables", "principal", "source_arn", "action", "function_name", "tags", "default",
    '"NONE"', '"CUSTOM"', '"GET"', '"*"', '"./"', '"../x"', '"arn:aws:execute-api:*"', '"\\u00e9"', '"\\q"',
    "null", "true", "false", "0", "1", "-1", "1e999", "3.5", "10000000", "var.v", "local.l", "each.key",
    "count.index", "aws_api_gateway_rest_api.api.id", "self", "[*]", ".*", "[0]", '["k"]', "for x in ",
    "if", "jsonencode(", "lookup(", "merge(", "upper(", "format(", "range(", "tostring(", "provider::aws::f(",
    "frobnicate(", "!", "-", "+", "*", "==", "&&", "||", "# c\n", "// c\n", "/* c */", "\t", "\r\n", "\x1b[31m",
    "<script>", "\u202e", "\ufeff",
]


@FUZZ
@given(st.lists(st.sampled_from(TOKENS), max_size=80))
def test_hcl_shaped_input(tokens):
    scan_files({"main.tf": " ".join(tokens).encode("utf-8")})


JSON_TOKENS = ['{', '}', '[', ']', ',', ':', '"resource"', '"aws_api_gateway_method"', '"m"', '"authorization"',
               '"NONE"', '"${var.x}"', '"${"', '"locals"', '"module"', '"source"', '"./"', '"dynamic"',
               '"variable"', '"default"', '"//"', 'null', 'true', '1', '-0.5e3', '"\\ud800"', '"\\u00e9"', ' ',
               '\n', '"count"', '"for_each"', '"x"']


@FUZZ
@given(st.lists(st.sampled_from(JSON_TOKENS), max_size=60))
def test_json_shaped_input(tokens):
    scan_files({"main.tf.json": "".join(tokens).encode("utf-8")})


# ------------------------------------------------- byte-level mutations of real and broken files

SEEDS = sorted([*REFERENCE.rglob("*.tf"), *(Path(__file__).parent / "corpus").iterdir()])


@st.composite
def mutated_bytes(draw) -> tuple[str, bytes]:
    seed = draw(st.sampled_from(SEEDS))
    data = bytearray(seed.read_bytes()[:4000])
    for _ in range(draw(st.integers(1, 8))):
        where = draw(st.integers(0, len(data)))
        operation = draw(st.sampled_from(["insert", "delete", "replace", "copy"]))
        if operation == "insert":
            data[where:where] = draw(st.sampled_from([b"{", b"}", b"[", b"]", b'"', b"${", b"\\", b"\n", b"<<EOT\n",
                                                      b"\xff", b"\x00", b"\r", b"=", b"#", b"/*"]))
        elif operation == "delete":
            del data[where:where + draw(st.integers(1, 40))]
        elif operation == "replace" and where < len(data):
            data[where] = draw(st.integers(0, 255))
        else:
            start = draw(st.integers(0, len(data)))
            data[where:where] = data[start:start + draw(st.integers(1, 200))]
    return ("main.tf.json" if seed.name.endswith(".json") else "main.tf"), bytes(data)


@FUZZ
@given(mutated_bytes())
def test_mutated_files(case):
    name, data = case
    scan_files({name: data})


# ------------------------------------------------------------ mutations of the reference stack

def _reference_files() -> dict[str, str]:
    return {str(p.relative_to(REFERENCE)): p.read_text(encoding="utf-8") for p in sorted(REFERENCE.rglob("*.tf"))
            if ".terraform" not in p.parts}


REFERENCE_FILES = _reference_files()
ATTRIBUTE = re.compile(r"^(\s*)([A-Za-z_][\w-]*)(\s*=\s*)(.*)$")
ODD_VALUES = ["null", "[]", "{}", "[null]", "{ a = null }", "0", "-1", "true", '"NONE"', '"CUSTOM"', '"*"', '""',
              '["GET", null]', '{ Version = "2012-10-17", Statement = null }', "var.undefined", "local.undefined",
              "module.nowhere.out", '"${var.undefined}"', "jsonencode(null)", "[[[[]]]]", "each.value",
              "count.index", "aws_api_gateway_rest_api.missing.id", '"arn:aws:lambda:*"', "1e400", "tolist(7)"]


@st.composite
def mutated_stack(draw) -> dict[str, str]:
    files = dict(REFERENCE_FILES)
    for _ in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(sorted(files)))
        lines = files[name].split("\n")
        attributes = [i for i, line in enumerate(lines) if ATTRIBUTE.match(line) and not line.rstrip().endswith(
            ("{", "[", "(", "<<EOT", "<<-EOT", "<<EOF", "<<-EOF"))]
        if not attributes:
            continue
        index = draw(st.sampled_from(attributes))
        match = ATTRIBUTE.match(lines[index])
        operation = draw(st.sampled_from(["drop", "duplicate_elsewhere", "swap", "change_value", "rename"]))
        if operation == "drop":
            del lines[index]
        elif operation == "duplicate_elsewhere":
            lines.insert(draw(st.sampled_from(attributes)), lines[index])
        elif operation == "swap":
            other = draw(st.sampled_from(attributes))
            lines[index], lines[other] = lines[other], lines[index]
        elif operation == "change_value":
            lines[index] = match.group(1) + match.group(2) + match.group(3) + draw(st.sampled_from(ODD_VALUES))
        else:
            other = ATTRIBUTE.match(lines[draw(st.sampled_from(attributes))])
            lines[index] = match.group(1) + other.group(2) + match.group(3) + match.group(4)
        files[name] = "\n".join(lines)
    return files


@FUZZ
@given(mutated_stack())
def test_mutated_reference_stack(files):
    """Odd but parseable shapes (a list where a map was expected, null values, a missing attribute) never make
    a rule throw; parse errors from a mutation (an attribute set twice) are fine, exceptions are not."""
    # the parse cache (the tests' own, see tests/conftest.py): only the mutated file is parsed again
    scan_files({name: text.encode("utf-8") for name, text in files.items()}, use_cache=True)


def test_the_reference_stack_itself_scans_clean():
    scan_files({name: text.encode("utf-8") for name, text in REFERENCE_FILES.items()})


# ------------------------------------------------------------ mutations of a plan terraform wrote

PLAN = ROOT / "tests" / "plans" / "rest.plan.json"
ODD_JSON = [None, True, 0, -1, 1e308, "", "NONE", "CUSTOM", "*", "x" * 200, [], {}, [None], {"a": None},
            [[[[]]]], {"references": [7, None, "var."]}, {"constant_value": {"a": [1]}}, "module.x[\"", "arn:aws:*"]


def _paths(value, path=()):
    """Every (path, value) of a JSON document, containers included, in order."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*path, index))


@st.composite
def mutated_plan(draw) -> bytes:
    document = json.loads(PLAN.read_text(encoding="utf-8"))
    for _ in range(draw(st.integers(1, 8))):
        paths = [path for path, _ in _paths(document) if path]
        path = draw(st.sampled_from(paths))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        operation = draw(st.sampled_from(["replace", "drop", "copy"]))
        if operation == "drop" and isinstance(parent, dict):
            del parent[path[-1]]
        elif operation == "copy":
            parent[path[-1]] = json.loads(json.dumps(_at(document, draw(st.sampled_from(paths)))))
        else:
            parent[path[-1]] = draw(st.sampled_from(ODD_JSON))
    return json.dumps(document).encode("utf-8")


def _at(document, path):
    for step in path:
        document = document[step]
    return document


@FUZZ
@given(mutated_plan())
def test_mutated_plan(data):
    """A damaged plan (a value of another type, a part missing or copied elsewhere) ends in a verdict or an error
    saying where: never an exception, never a report that cannot render."""
    folder = Path(tempfile.mkdtemp(prefix="gateaudit-fuzz-"))
    try:
        (folder / "plan.json").write_bytes(data)
        report = scan(ScanOptions(paths=[folder / "plan.json"], display_paths=["plan.json"], use_config=False,
                                  use_cache=False))
        assert report.exit_code in (0, 1, 2)
        bugs = [str(e) for e in report.errors if "internal error" in e.message]
        assert not bugs, bugs
        for name in FORMATS:
            module = renderer(name)
            rendered = module.render(report, verbose=True) if name == "text" else module.render(report)
            rendered.encode("utf-8")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
