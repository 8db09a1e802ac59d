"""A scan's memory: what it holds once the rules have judged the stack."""

from __future__ import annotations

import gc
import json

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
