"""Renderers: one module per format, each with `render(report) -> str`; they only format the report."""

from __future__ import annotations

import importlib
from types import ModuleType

# format name -> (module in this package, file extension for --output-dir)
FORMATS: dict[str, tuple[str, str]] = {
    "text": ("text", "txt"),
    "json": ("json_report", "json"),
    "sarif": ("sarif", "sarif"),
    "junit": ("junit", "xml"),
    "markdown": ("markdown", "md"),
    "html": ("html", "html"),
}


def renderer(name: str) -> ModuleType:
    module, _ = FORMATS[name]
    return importlib.import_module(f"{__name__}.{module}")


def file_name(name: str) -> str:
    return f"gateaudit.{FORMATS[name][1]}"
