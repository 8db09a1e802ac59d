"""Renderers: one module per format, each with `render(report) -> str`; they only format the report."""

from __future__ import annotations

import importlib
import re
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


_JSON_FORMATS = ("json", "sarif")
_LINE_COMMAND = re.compile(r"^( *)::", re.MULTILINE)


def for_terminal(name: str, rendered: str) -> str:
    """A rendered report as written to stdout, where a terminal or a CI log reads it (see `text.terminal_line`).

    The text report is made of terminal lines already. The other formats keep their syntax and their values: what
    could act on a terminal or a CI runner (a character that is not printable, `##name[`, `::` opening a line) is
    written with the format's own escape instead, a JSON `\\uNNNN` or an XML or HTML character reference, so a
    parser reads the same document.
    """
    from .text import LEGACY_COMMAND, terminal_line

    if name == "text":
        return "\n".join(terminal_line(line) for line in rendered.split("\n"))
    if name in _JSON_FORMATS:  # these characters only occur inside JSON strings, where an escape means the same
        escape = _json_escape
        rendered = LEGACY_COMMAND.sub(r"\1\\u005b", rendered)
    else:
        escape = _reference
        rendered = LEGACY_COMMAND.sub(r"\1&#91;", _LINE_COMMAND.sub(r"\1&#58;:", rendered))
    if rendered.replace("\n", "").isprintable():
        return rendered
    return "".join(char if char.isprintable() or char == "\n" else escape(char) for char in rendered)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _reference(char: str) -> str:
    return f"&#x{ord(char):x};"
