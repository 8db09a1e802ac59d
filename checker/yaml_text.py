"""YAML as gateaudit reads it (`gateaudit.yaml_text`): PyYAML's safe loader, bounded, for `yamldecode()` and
OpenAPI bodies.

Plain data only (no `!!python/...` object is ever built). The pure-Python loader, not the C one: nesting
too deep ends in Python's RecursionError rather than overflowing C's stack. Aliases build shared values,
not copies; a document whose aliases would expand past `limits.MAX_VALUE_SIZE` elements and characters once
rendered (a "billion laughs") is refused before anything walks it.
"""

from __future__ import annotations

from typing import Any

import yaml

from . import limits
from .values import rendered_size


class YamlError(Exception):
    """Why a text was not read as YAML; `over_limit` when it is YAML, but over a bound."""

    def __init__(self, message: str, over_limit: bool = False):
        super().__init__(message)
        self.over_limit = over_limit


def load(text: str) -> tuple[Any, yaml.Node | None]:
    """The document's value and its node tree (for lines: `node.start_mark.line` is 0-based)."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        value = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        problem = getattr(error, "problem", None) or "not YAML"
        raise YamlError(f"line {mark.line + 1}: {problem}" if mark is not None else str(problem)) from None
    except RecursionError:
        raise YamlError("is nested too deeply to read", over_limit=True) from None
    finally:
        loader.dispose()
    if rendered_size(value) > limits.MAX_VALUE_SIZE:
        raise YamlError(f"holds more than {limits.MAX_VALUE_SIZE} elements and characters (aliases expanded): "
                        "not read", over_limit=True)
    return value, node


def key_lines(node: Any, path: tuple[str, ...]) -> dict[str, int]:
    """The keys of the mapping at `path` in a loaded document's node tree, each with its 1-based line."""
    for key in path:
        if not isinstance(node, yaml.MappingNode):
            return {}
        node = next((value for name, value in node.value if isinstance(name, yaml.ScalarNode) and name.value == key),
                    None)
    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(key.value): key.start_mark.line + 1 for key, _ in node.value if isinstance(key, yaml.ScalarNode)}
