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
