"""JSON as `json.dumps(value, indent=2, ensure_ascii=False)` writes it, byte for byte, several times faster.

With an indent, the standard library encodes in Python, one generator step per token: for a report of
thousands of results that is most of the time a warm scan takes. Here every dict and list whose members are
all scalars (each result, each file, each mapping) is written by one join over the C functions that encode
strings and numbers; anything else goes down one level, as the standard encoder does.
"""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function json.dumps(ensure_ascii=False) uses

_INDENT = "  "


def dumps(value: object, depth: int = 0) -> str:
    """`json.dumps(value, indent=2, ensure_ascii=False)`; its lines after the first indented `depth` levels more,
    as the value sits inside others."""
    return _encode(value, "\n" + _INDENT * depth)


def scalar(value: object) -> str | None:
    """A scalar's JSON text, or None for a container (and for anything the standard encoder rejects)."""
    if isinstance(value, str):
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return json.dumps(value)  # repr, or NaN/Infinity, exactly as the standard encoder writes them
    return None


_KEYS: dict[str, str] = {}  # the keys met so far, encoded: a report repeats a few keys thousands of times
_KEYS_KEPT = 1024  # at most: keys a scanned tree chose (its module names) must not grow it without bound


def _key(key: object) -> str:
    """A key as the standard encoder writes it: a string; a number, boolean or null as the string of its JSON."""
    if isinstance(key, str):
        text = _KEYS.get(key)
        if text is None:
            text = encode_basestring(key)
            if len(_KEYS) < _KEYS_KEPT:
                _KEYS[key] = text
        return text
    if isinstance(key, (int, float, bool)) or key is None:
        return encode_basestring(json.dumps(key))
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _encode(value: object, newline: str) -> str:
    """`value` as JSON, its inner lines starting with `newline` (a newline and the enclosing indent)."""
    text = scalar(value)
    if text is not None:
        return text
    inner = newline + _INDENT
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [_key(key) + ": " + (scalar(item) or _encode(item, inner)) for key, item in value.items()]
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        items = [scalar(item) or _encode(item, inner) for item in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    return json.dumps(value)  # not JSON: the standard encoder's TypeError
