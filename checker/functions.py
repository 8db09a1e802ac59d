"""Terraform's built-in functions as gateaudit evaluates them (`FUNCTIONS`), each bounded by gateaudit.limits,
and what is known of a function's result when an argument is unknown. `gateaudit.evaluate` calls them."""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable
from typing import Any

from . import limits
from .model import Unknown
from .values import EvalError, NotEvaluated, TooLarge, as_number, check_rendered, shown, to_string

# A regular expression's program size times the characters it runs over: RE2's time is linear in the text,
# but a huge program over a long text still takes a while.
_MAX_REGEX_WORK = 100 * limits.MAX_VALUE_SIZE


def _coalesce(*args: Any) -> Any:
    for arg in args:
        if isinstance(arg, Unknown):
            return arg
        if arg is not None and arg != "":
            return arg
    raise EvalError("coalesce(): every argument is null or empty")


def _lookup(mapping: Any, key: Any, *default: Any) -> Any:
    if isinstance(mapping, Unknown):
        return mapping
    if isinstance(key, Unknown):
        return key
    if not isinstance(mapping, dict):
        raise EvalError(f"lookup() needs a map, not {shown(mapping)}")
    key = to_string(key)
    if key in mapping:
        return mapping[key]
    if default:
        return default[0]
    raise EvalError(f"lookup(): no key {key!r}")


def _merge(*maps: Any) -> Any:
    result: dict[str, Any] = {}
    for item in maps:
        if isinstance(item, Unknown):
            return item
        if item is None:
            continue
        if not isinstance(item, dict):
            raise EvalError(f"merge() needs maps, not {shown(item)}")
        result.update(item)
    return result


def _format(spec: Any, *args: Any) -> str:
    if not isinstance(spec, str):
        raise EvalError("format() needs a format string")
    values = iter(args)
    limit = limits.MAX_VALUE_SIZE
    written = len(spec)

    def one(match: re.Match[str]) -> str:
        nonlocal written
        flags, verb = match.groups()
        if verb == "%":
            return "%"
        for number in re.findall(r"\d+", flags):  # Python would pad to any width: a gigabyte for %999999999d
            if len(number) > len(str(limit)) or int(number) > limit:
                raise TooLarge(f"format(): a width or precision of {number} is over the limit of {limit}: "
                               "not evaluated")
        try:
            value = next(values)
        except StopIteration:
            raise EvalError("format(): not enough arguments") from None
        if verb == "q":
            text = json.dumps(to_string(value))
        elif verb in "dfeg":
            text = ("%" + flags + verb) % as_number(value)
        elif verb == "v" and not isinstance(value, str | int | float | bool):
            check_rendered(value)
            text = json.dumps(value, separators=(",", ":"))
        else:
            text = ("%" + flags + "s") % to_string(value)
        written += len(text)
        if written > limit:
            raise TooLarge(f"a string of more than {limit} characters: not evaluated")
        return text

    return re.sub(r"%([-+ #0-9.]*)([svdfegtq%])", one, spec)


def _replace(text: Any, search: Any, replacement: Any) -> str:
    text, search, replacement = to_string(text), to_string(search), to_string(replacement)
    if len(search) > 1 and search.startswith("/") and search.endswith("/"):
        return _regex_replace(text, search[1:-1], replacement)
    occurrences = text.count(search) if search else len(text) + 1  # "" matches before every character
    if len(text) + occurrences * (len(replacement) - len(search)) > limits.MAX_VALUE_SIZE:
        raise TooLarge(f"a string of more than {limits.MAX_VALUE_SIZE} characters: not evaluated")
    return text.replace(search, replacement)


def _regex_replace(text: str, pattern: str, template: str) -> str:
    """Go's `regexp.ReplaceAllString`, as Terraform's replace() runs it: RE2 syntax and linear-time matching
    (the google-re2 bindings, never Python's backtracking `re`), `$1`/`${name}` expansion, and no replacement
    for an empty match right after a match."""
    try:
        import re2
    except ImportError:  # google-re2 is a dependency; a platform without its wheel gets an explicit unknown
        raise NotEvaluated("replace() with a regular expression needs the google-re2 package: not evaluated") \
            from None
    options = re2.Options()
    options.log_errors = False  # RE2 would print the pattern, the scanned tree's text, on stderr
    try:
        regexp = re2.compile(pattern, options)
    except re2.error as error:
        detail = error.args[0] if error.args else ""
        detail = detail.decode("utf-8", "replace") if isinstance(detail, bytes) else str(detail)
        raise EvalError(f"replace(): invalid regular expression: {detail}") from None
    if regexp.programsize * (len(text) + 1) > _MAX_REGEX_WORK:
        raise TooLarge(f"replace(): a regular expression of {regexp.programsize} instructions over "
                       f"{len(text)} characters is over the limit of {_MAX_REGEX_WORK}: not evaluated")
    data = text.encode("utf-8")
    pieces = _go_template(template, regexp.groupindex, regexp.groups)
    out: list[bytes] = []
    written = 0
    last_end = search = 0
    while search <= len(data):
        match = regexp.search(data, search)
        if match is None:
            break
        start, end = match.span()
        chunk = [data[last_end:start]]
        if end > last_end or start == 0:
            chunk += [piece if isinstance(piece, bytes) else _group(match, piece) for piece in pieces]
        written += sum(map(len, chunk))
        if written > 4 * limits.MAX_VALUE_SIZE:  # bytes: up to 4 per character
            raise TooLarge(f"a string of more than {limits.MAX_VALUE_SIZE} characters: not evaluated")
        out += chunk
        last_end = end
        width = _utf8_width(data, search)  # advance at least one character past the match
        search = search + width if search + width > end else max(end, search + 1)
    out.append(data[last_end:])
    return b"".join(out).decode("utf-8")


def _group(match: Any, group: int | str | None) -> bytes:
    if group is None:
        return b""
    start, end = match.span(group)
    return match.string[start:end] if start >= 0 else b""


def _utf8_width(data: bytes, position: int) -> int:
    if position >= len(data):
        return 0
    lead = data[position]
    return 1 if lead < 0xC0 else 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4


def _go_template(template: str, names: dict[str, int], groups: int) -> list[bytes | int | None]:
    """Go's `Regexp.Expand` template, split once: literal bytes, and group numbers for `$1`, `${1}`, `$name`,
    `${name}` (None for a group that does not exist: it expands to nothing). `$$` is a dollar; a name is the
    longest run of letters, digits and `_` (`$1x` names a group "1x"); a `$` without a name stays a `$`."""
    pieces: list[bytes | int | None] = []
    literal: list[str] = []
    rest = template
    while "$" in rest:
        before, _, rest = rest.partition("$")
        literal.append(before)
        if rest.startswith("$"):
            literal.append("$")
            rest = rest[1:]
            continue
        brace = rest.startswith("{")
        body = rest[1:] if brace else rest
        length = 0
        while length < len(body) and (body[length].isalpha() or body[length].isdecimal() or body[length] == "_"):
            length += 1
        if length == 0 or (brace and body[length:length + 1] != "}"):
            literal.append("$")  # malformed: the dollar is text
            continue
        name = body[:length]
        rest = body[length + 1:] if brace else body[length:]
        pieces.append("".join(literal).encode("utf-8"))
        literal = []
        number = int(name) if name.isascii() and name.isdigit() and len(name) <= 8 else -1
        if name.startswith("0") and len(name) > 1:
            number = -1
        pieces.append((number if number <= groups else None) if number >= 0 else names.get(name))
    literal.append(rest)
    pieces.append("".join(literal).encode("utf-8"))
    return pieces


def _join(separator: Any, *lists: Any) -> str:
    separator = to_string(separator)
    items = [to_string(item) for items in lists for item in _as_list(items)]
    if sum(map(len, items)) + len(separator) * max(len(items) - 1, 0) > limits.MAX_VALUE_SIZE:
        raise TooLarge(f"a string of more than {limits.MAX_VALUE_SIZE} characters: not evaluated")
    return separator.join(items)


def _as_list(value: Any) -> list:
    if not isinstance(value, list):
        raise EvalError(f"expected a list, not {shown(value)}")
    return value


def _concat(*lists: Any) -> list:
    if sum(len(_as_list(items)) for items in lists) > limits.MAX_VALUE_SIZE:
        raise TooLarge(f"a collection of more than {limits.MAX_VALUE_SIZE} elements: not evaluated")
    return [item for items in lists for item in items]


def _flatten(value: Any) -> list:
    """Lists in lists, flattened in a loop; the same list held many times is walked each time, so the walk
    is bounded like the result."""
    result: list = []
    walked = 0
    stack = [iter(_as_list(value))]
    while stack:
        for item in stack[-1]:
            walked += 1
            if walked > limits.MAX_VALUE_SIZE:
                raise TooLarge(f"a collection of more than {limits.MAX_VALUE_SIZE} elements: not evaluated")
            if isinstance(item, list):
                stack.append(iter(item))
                break
            result.append(item)
        else:
            stack.pop()
    return result


def _jsonencode(value: Any) -> str:
    check_rendered(value)  # a list held a thousand times is encoded a thousand times
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _contains(items: Any, value: Any) -> bool:
    items = _as_list(items)
    check_rendered(items)  # each element is compared with the value, part by part
    return value in items


def _jsondecode(text: Any) -> Any:
    try:
        return json.loads(to_string(text))
    except json.JSONDecodeError as error:
        raise EvalError(f"jsondecode(): not JSON ({error.msg})") from None


def _yamldecode(text: Any) -> Any:
    from . import yaml_text  # PyYAML only when a configuration decodes YAML

    try:
        value, _ = yaml_text.load(to_string(text))
    except yaml_text.YamlError as error:
        if error.over_limit:  # Terraform would decode it: gateaudit stops short, and says so
            raise TooLarge(f"yamldecode(): the document {error}") from None
        raise EvalError(f"yamldecode(): not YAML ({error})") from None
    return _yaml_value(value)


def _yaml_value(value: Any) -> Any:
    """A YAML value as Terraform's yamldecode gives it: keys and timestamps as strings, no binary or sets."""
    if isinstance(value, dict):
        return {to_string(key) if not isinstance(key, str) else key: _yaml_value(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_yaml_value(item) for item in value]
    if value is None or isinstance(value, str | bool | int | float):
        return value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise EvalError(f"yamldecode(): a {type(value).__name__} value is not supported")


def _tostring(value: Any) -> Any:
    if value is None:
        return None
    return to_string(value)


def _length(value: Any) -> int:
    if isinstance(value, str | list | dict):
        return len(value)
    raise EvalError(f"length() of {shown(value)}")


def _element(items: Any, index: Any) -> Any:
    items = _as_list(items)
    if not items:
        raise EvalError("element() of an empty list")
    return items[int(as_number(index)) % len(items)]


def _one(items: Any) -> Any:
    items = _as_list(items)
    if len(items) > 1:
        raise EvalError(f"one() needs a list of at most one element, not {len(items)}")
    return items[0] if items else None


def _toset(value: Any) -> list:
    return list(dict.fromkeys(_as_list(value)))


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "yamldecode": _yamldecode,
    "format": _format,
    "join": _join,
    "concat": _concat,
    "merge": _merge,
    "lookup": _lookup,
    "lower": lambda s: to_string(s).lower(),
    "upper": lambda s: to_string(s).upper(),
    "replace": _replace,
    "tostring": _tostring,
    "coalesce": _coalesce,
    "tolist": _as_list,
    "toset": _toset,
    "tomap": lambda m: m if isinstance(m, dict) else (_ for _ in ()).throw(EvalError("tomap() needs a map")),
    "tonumber": lambda v: None if v is None else as_number(v),
    "tobool": lambda v: v if isinstance(v, bool) or v is None else {"true": True, "false": False}[v],
    "length": _length,
    "element": _element,
    "keys": lambda m: sorted(m) if isinstance(m, dict) else _as_list(m),
    "values": lambda m: [m[k] for k in sorted(m)],
    "contains": _contains,
    "split": lambda sep, s: to_string(s).split(to_string(sep)),
    "trimspace": lambda s: to_string(s).strip(),
    "trimprefix": lambda s, p: to_string(s).removeprefix(to_string(p)),
    "trimsuffix": lambda s, p: to_string(s).removesuffix(to_string(p)),
    "startswith": lambda s, p: to_string(s).startswith(to_string(p)),
    "endswith": lambda s, p: to_string(s).endswith(to_string(p)),
    "flatten": _flatten,
    "distinct": lambda items: list(dict.fromkeys(_as_list(items))),
    "compact": lambda items: [i for i in _as_list(items) if i not in (None, "")],
    "min": lambda *n: min(as_number(x) for x in n),
    "one": _one,
    "slice": lambda items, start, end: _as_list(items)[int(as_number(start)):int(as_number(end))],
    "reverse": lambda items: list(reversed(_as_list(items))),
    "sensitive": lambda value: value,  # marks a value for redaction in Terraform's output; same value
    "nonsensitive": lambda value: value,
    "base64encode": lambda s: base64.b64encode(to_string(s).encode()).decode(),
    "base64decode": lambda s: base64.b64decode(to_string(s)).decode(),
    "abs": lambda n: abs(as_number(n)),
    "max": lambda *n: max(as_number(x) for x in n),
}
PASSES_UNKNOWN = {"coalesce", "lookup", "merge"}  # they decide themselves what an Unknown argument means
# List functions that only move elements: an unknown element stays an unknown element of the result.
KEEPS_UNKNOWN_ELEMENTS = {"concat", "flatten", "tolist", "length", "element", "keys", "values", "one",
                           "slice", "reverse"}


def partial_result(name: str, function: Callable[..., Any], args: list[Any]) -> Any:
    """What is known of a function's result despite an unknown argument, for rules to read.

    jsonencode keeps the encoded object; format and join keep their text with `${ref}` holes, as a
    template does, so `format("%s*", x.execution_arn)` does not pass for the bare reference.
    """
    if name == "jsonencode":
        return args[0] if args else None
    if name in ("format", "join"):
        try:
            return function(*[_hole(arg) for arg in args])
        except (EvalError, TypeError, ValueError, KeyError, IndexError):
            return None
    return None


def _hole(value: Any, made: dict[int, list] | None = None) -> Any:
    if isinstance(value, Unknown):
        return value.partial if isinstance(value.partial, str) else "${" + (value.refs[0] if value.refs else "?") + "}"
    if isinstance(value, list):
        made = {} if made is None else made
        if id(value) not in made:  # a list held many times is rebuilt once
            made[id(value)] = [_hole(item, made) for item in value]
        return made[id(value)]
    return value
