"""A scan's memory: what it holds once the rules have judged the stack."""

from __future__ import annotations

import gc
import json
import tracemalloc

import pytest

from gateaudit import cli
from gateaudit import report as report_module
from gateaudit.model import Block

METHOD = ('resource "aws_api_gateway_method" "m{n}" {{\n  rest_api_id   = "a"\n  resource_id   = "r{n}"\n'
          '  http_method   = "GET"\n  authorization = "NONE"\n}}\n')


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("GATEAUDIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")


def test_the_model_is_freed_before_the_report_is_built(tmp_path, cache, monkeypatch):
    """Blocks and modules refer to each other, so only the cyclic collector frees a judged stack: it must have
    run before the report (43,000 results in a monorepo) is built in the memory the stack held."""
    folder = tmp_path / "tf"
    folder.mkdir()
    for n in range(20):
        (folder / f"m{n}.tf").write_text(METHOD.format(n=n))
    alive: list[int] = []
    real = report_module.assemble

    def counting(*args, **kwargs):
        alive.append(sum(isinstance(o, Block) for o in gc.get_objects()))
        return real(*args, **kwargs)

    monkeypatch.setattr(report_module, "assemble", counting)
    out = tmp_path / "report.json"
    cli.main(["scan", str(folder), "--format", "json", "--output", str(out)])
    assert len(json.loads(out.read_text())["results"]) >= 20  # judged: the stack was there
    assert alive == [0]


def test_a_report_shows_the_lines_of_the_file_as_scanned(tmp_path, cache, capsys):
    """File text is not kept to the end of a scan: the lines a report shows are read again, and are the lines
    the scan judged."""
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "main.tf").write_text(METHOD.format(n=1))
    out = tmp_path / "report.html"
    cli.main(["scan", str(folder), "--format", "html", "--output", str(out)])
    html = out.read_text()
    assert "resource_id   = &#34;r1&#34;" in html and "changed after" not in html + capsys.readouterr().err


def test_a_file_changed_after_it_was_read_shows_no_lines_and_says_so(tmp_path, cache, monkeypatch, capsys):
    """Between reading a file and reporting on it, the file changed: its new lines are not what was judged, so
    the report shows none of them and warns, rather than pointing a reviewer at lines the scan never saw."""
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "main.tf").write_text(METHOD.format(n=1))
    real = report_module.assemble

    def changing(*args, **kwargs):
        (folder / "main.tf").write_text(METHOD.format(n=1).replace('"NONE"', '"AWS_IAM" # edited meanwhile'))
        return real(*args, **kwargs)

    monkeypatch.setattr(report_module, "assemble", changing)
    out = tmp_path / "report.html"
    cli.main(["scan", str(folder), "--format", "html", "--output", str(out)])
    html = out.read_text()
    assert "GA101" in html and "aws_api_gateway_method.m1" in html  # judged as read: authorization NONE
    assert "edited meanwhile" not in html and "resource_id   = &#34;r1&#34;" not in html
    assert "main.tf: changed after gateaudit read it" in capsys.readouterr().err
    assert "changed after gateaudit read it" in html


ROUTE = '''resource "aws_api_gateway_resource" "r{n}" {{
  rest_api_id = aws_api_gateway_rest_api.api.id
  parent_id   = aws_api_gateway_rest_api.api.root_resource_id
  path_part   = "items{n}"
}}

resource "aws_api_gateway_method" "m{n}" {{
  rest_api_id   = aws_api_gateway_rest_api.api.id
  resource_id   = aws_api_gateway_resource.r{n}.id
  http_method   = "GET"
  authorization = "CUSTOM"
  authorizer_id = aws_api_gateway_authorizer.key.id
}}

resource "aws_api_gateway_integration" "i{n}" {{
  rest_api_id = aws_api_gateway_rest_api.api.id
  resource_id = aws_api_gateway_resource.r{n}.id
  http_method = aws_api_gateway_method.m{n}.http_method
  type        = "MOCK"
  request_templates = {{
    "application/json" = jsonencode({{ statusCode = 200 }})
  }}
}}
'''
API = '''variable "authorizer_uri" {
  type = string
}

resource "aws_api_gateway_rest_api" "api" {
  name = "api"
}

resource "aws_api_gateway_authorizer" "key" {
  name            = "key"
  rest_api_id     = aws_api_gateway_rest_api.api.id
  type            = "REQUEST"
  identity_source = "method.request.header.x-api-key"
  authorizer_uri  = var.authorizer_uri
}
'''
FILES, ROUTES_PER_FILE = 60, 10
# Held once judged, per file of ROUTES_PER_FILE routes (230 lines): 171,000 bytes when every expression and
# argument had a dict of its own, 130,000 since; 98,000 with one string per name; 91,000 with slotted syntax.
BYTES_PER_FILE = 95_000


def test_a_judged_file_costs_a_bounded_amount_of_memory(tmp_path, monkeypatch):
    """Monorepos of 10,000 files are judged in one process: what the model holds per file, once the rules have
    read it (syntax, blocks, arguments, values, results), stays within a budget."""
    from gateaudit import modules, parse_many
    from gateaudit.engine import run_rules
    from gateaudit.rules import load_rules

    monkeypatch.setattr(parse_many, "POOL_MIN_BYTES", 1 << 40)  # parsed here, where it is measured
    folder = tmp_path / "tf"
    folder.mkdir()
    (folder / "main.tf").write_text(API)
    for file in range(FILES):
        routes = range(file * ROUTES_PER_FILE, (file + 1) * ROUTES_PER_FILE)
        (folder / f"routes_{file}.tf").write_text("\n".join(ROUTE.format(n=n) for n in routes))
    rules = load_rules([])
    warm_up = tmp_path / "warm-up"
    warm_up.mkdir()
    (warm_up / "main.tf").write_text(API + ROUTE.format(n=0))
    run_rules(modules.load([warm_up], use_cache=False)[0], rules)  # imports and one-time tables: not per file
    gc.collect()
    tracemalloc.start()
    try:
        stack, errors = modules.load([folder], use_cache=False)
        results, _ = run_rules(stack, rules)
        held = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    assert not errors and len(results) >= FILES * ROUTES_PER_FILE
    assert held / FILES <= BYTES_PER_FILE, f"{held / FILES:,.0f} bytes per file"


def test_a_monorepo_is_parsed_in_batches_of_bounded_text(tmp_path, cache, monkeypatch):
    """The texts of every file, and workers grown over all of them, are not held at once: files are read and
    parsed batch by batch (each in a pool of its own when large enough), and judged the same."""
    from gateaudit import loader as loader_module

    folder = tmp_path / "tf"
    folder.mkdir()
    for n in range(30):
        (folder / f"m{n}.tf").write_text(METHOD.format(n=n))
    out = tmp_path / "whole.json"
    cli.main(["scan", str(folder), "--format", "json", "--output", str(out), "--no-cache"])
    whole = json.loads(out.read_text())["results"]

    batches: list[int] = []
    real = loader_module.parse_all_kept

    def recording(items, *args, **kwargs):
        batches.append(sum(len(text) for _, text in items))
        return real(items, *args, **kwargs)

    monkeypatch.setattr(loader_module, "parse_all_kept", recording)
    monkeypatch.setattr(loader_module, "PARSE_BATCH_BYTES", 4 * len(METHOD))
    cli.main(["scan", str(folder), "--format", "json", "--output", str(out), "--no-cache"])
    assert len(batches) >= 5 and max(batches) < 5 * len(METHOD) + 10
    assert json.loads(out.read_text())["results"] == whole


def test_a_json_report_is_written_as_it_is_encoded(tmp_path, cache, monkeypatch):
    """Tens of thousands of results are not held as one document and one string: the report file is written a
    result at a time, and is the same document `render` gives."""
    import os

    from gateaudit.reports import json_report

    folder = tmp_path / "tf"
    folder.mkdir()
    for n in range(200):
        (folder / f"m{n}.tf").write_text(METHOD.format(n=n))
    writes: list[int] = []
    real_fdopen = os.fdopen

    def recording_fdopen(*args, **kwargs):
        handle = real_fdopen(*args, **kwargs)
        if args[1:2] != ("w",):  # not a report (the caches write bytes)
            return handle
        real_write = handle.write

        def write(text):
            writes.append(len(text))
            return real_write(text)

        handle.write = write
        return handle

    captured = []
    real_render = json_report.render
    monkeypatch.setattr(json_report, "render", lambda report: captured.append(report) or real_render(report))
    monkeypatch.setattr(cli.os, "fdopen", recording_fdopen)
    out = tmp_path / "report.json"
    cli.main(["scan", str(folder), "--format", "json", "--output", str(out)])
    text = out.read_text()
    assert len(json.loads(text)["results"]) == 200 and sum(writes) == len(text)
    assert max(writes) < len(text) / 4  # in pieces: the largest is the head (files, controls), not the results
    assert not captured  # never rendered whole; and the pieces make the document render gives:
    from gateaudit.engine import ScanOptions, scan

    report = scan(ScanOptions(paths=[folder], display_paths=[str(folder)]))
    assert real_render(report) == text
