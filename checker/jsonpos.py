"""JSON with the line of every value and object key: `.tf.json` findings need lines too.

The standard library's decoder drops positions; this small recursive-descent reader keeps them and
uses the standard library's string scanner for the fiddly part.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from json.decoder import scanstring
from typing import Any

from . import limits


class JSONError(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(f"line {line}: {message}")
        self.message = message
        self.line = line


@dataclass
class Node:
    """A JSON value; objects map each key to (key line, Node), arrays hold Nodes."""

    value: Any
    line: int


@dataclass(frozen=True)
class LongNumber:
    """An integer of more digits than Python reads (limits.MAX_NUMBER_DIGITS): its length, not its value."""

    digits: int


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?")
_CONSTANTS = {"true": True, "false": False, "null": None}
_SURROGATE = re.compile("[\ud800-\udfff]")


def loads(text: str) -> Node:
    reader = _Reader(text)
    node = reader.value(0)
    reader.skip()
    if reader.position != len(text):
        reader.fail("extra data after the JSON value")
    return node


class _Reader:
    def __init__(self, text: str):
        self.text = text
        self.position = 0
        self.line = 1

    def fail(self, message: str):
        raise JSONError(message, self.line)

    def skip(self) -> None:
        end = _WHITESPACE.match(self.text, self.position).end()
        self.line += self.text.count("\n", self.position, end)
        self.position = end

    def string(self) -> str:
        try:
            value, end = scanstring(self.text, self.position + 1, True)
        except json.JSONDecodeError as error:
            raise JSONError(error.msg.lower(), self.line + self.text.count("\n", self.position, error.pos)) from None
        if _SURROGATE.search(value):
            self.fail("a \\u escape in a string is half a surrogate pair: not a Unicode character")
        self.line += self.text.count("\n", self.position, end)
        self.position = end
        return value

    def value(self, depth: int) -> Node:
        if depth > limits.MAX_NESTING_DEPTH:
            self.fail(f"nested more than {limits.MAX_NESTING_DEPTH} levels deep (arrays and objects inside each other)")
        self.skip()
        line = self.line
        if self.position >= len(self.text):
            self.fail("unexpected end of file")
        char = self.text[self.position]
        if char == "{":
            return Node(self.object(depth), line)
        if char == "[":
            return Node(self.array(depth), line)
        if char == '"':
            return Node(self.string(), line)
        for word, constant in _CONSTANTS.items():
            if self.text.startswith(word, self.position):
                self.position += len(word)
                return Node(constant, line)
        match = _NUMBER.match(self.text, self.position)
        if match:
            self.position = match.end()
            number = match.group(0)
            if match.group(1) or match.group(2):
                return Node(float(number), line)
            digits = len(number.lstrip("-"))
            return Node(int(number) if digits <= limits.MAX_NUMBER_DIGITS else LongNumber(digits), line)
        self.fail(f"unexpected character {char!r}")

    def object(self, depth: int) -> dict[str, tuple[int, Node]]:
        result: dict[str, tuple[int, Node]] = {}
        self.position += 1
        self.skip()
        if self.text.startswith("}", self.position):
            self.position += 1
            return result
        while True:
            self.skip()
            if not self.text.startswith('"', self.position):
                self.fail("expected a quoted object key")
            key_line = self.line
            key = self.string()
            self.skip()
            if not self.text.startswith(":", self.position):
                self.fail("expected ':' after an object key")
            self.position += 1
            if key in result and key != "//":
                self.fail(f'key "{key}" appears twice in one object')
            result[key] = (key_line, self.value(depth + 1))
            self.skip()
            if self.text.startswith(",", self.position):
                self.position += 1
                continue
            if self.text.startswith("}", self.position):
                self.position += 1
                return result
            self.fail("expected ',' or '}' in an object")

    def array(self, depth: int) -> list[Node]:
        result: list[Node] = []
        self.position += 1
        self.skip()
        if self.text.startswith("]", self.position):
            self.position += 1
            return result
        while True:
            result.append(self.value(depth + 1))
            self.skip()
            if self.text.startswith(",", self.position):
                self.position += 1
                continue
            if self.text.startswith("]", self.position):
                self.position += 1
                return result
            self.fail("expected ',' or ']' in an array")
