"""`.gateaudit.toml` or `[tool.gateaudit]` in `pyproject.toml`, found from the repository root upwards.

The config decides the gate, so it must not come from the tree the gate judges: only a config at the
repository root (`gateaudit.root`) or above, or one named by `--config`, is applied. A config file inside the
scanned tree, or between a scanned path and the root, is reported and never applied (`inside_tree`).
Unknown keys are an error, not ignored: a misspelt setting must not quietly leave the gate weaker.
"""

from __future__ import annotations

import os
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .discover import ALWAYS_SKIPPED
from .inputs import read_regular
from .result import Severity, UnknownMode
from .suppressions import Suppression

_TOP_KEYS = {"fail-on", "unknown", "skip-rules", "inline-suppressions", "fail-on-suppressions",
             "fail-on-exemptions", "severity", "rules", "exemptions", "api-key-header"}
# A header name is an HTTP token (RFC 9110, 5.1 and 5.6.2): no spaces, no separators.
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# Before `api-key-header`, GA104 took the header as its own option; still read, with a warning (`deprecations`).
_OLD_HEADER_OPTION = ("GA104", "header")
_EXEMPTION_KEYS = {"resources", "rules", "reason", "until"}


class ConfigError(Exception):
    pass


@dataclass
class Config:
    path: str | None = None
    fail_on: Severity | None = None
    unknown: UnknownMode | None = None
    skip_rules: tuple[str, ...] = ()
    inline_suppressions: bool | None = None
    fail_on_suppressions: bool | None = None
    fail_on_exemptions: bool | None = None
    severity: dict[str, Severity] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    exemptions: list[Suppression] = field(default_factory=list)
    api_key_header: str | None = None  # the header clients send the API key in (gateaudit.settings)
    deprecations: list[str] = field(default_factory=list)  # old keys still applied: each is a warning of the scan


def find(root: Path) -> Path | None:
    """The nearest `.gateaudit.toml`, or `pyproject.toml` with a [tool.gateaudit] table, from `root` up."""
    folder = root.resolve()
    for candidate in (folder, *folder.parents):
        found = _config_in(candidate)
        if found is not None:
            return found
    return None


def _config_in(folder: Path) -> Path | None:
    own = folder / ".gateaudit.toml"
    if own.is_file():
        return own
    pyproject = folder / "pyproject.toml"
    if pyproject.is_file() and "gateaudit" in _read(pyproject).get("tool", {}):
        return pyproject
    return None


_UNTRUSTED_PYPROJECT = 1024 * 1024  # bytes of a pyproject.toml in the scanned tree read to see if it is gateaudit's


def inside_tree(path: Path, root: Path) -> list[Path]:
    """Config files a scan of `path` must not apply: in the folders from `path` up to `root` (not the root
    itself), and anywhere below `path`. A pyproject.toml that cannot be read is not gateaudit's: skipped."""
    found: list[Path] = []
    resolved = path.resolve()
    folder = resolved if resolved.is_dir() else resolved.parent
    between = [folder, *folder.parents]
    if root in between:
        between = between[:between.index(root)]
    for candidate in between:
        found += _configs_here(candidate)
    if resolved.is_dir():
        for directory, subdirectories, files in os.walk(resolved):
            if directory != str(folder):
                found += _configs_here(Path(directory), {*subdirectories, *files})
            subdirectories[:] = sorted(d for d in subdirectories if d not in ALWAYS_SKIPPED)
    return sorted(set(found))


def _configs_here(folder: Path, names: Collection[str] | None = None) -> list[Path]:
    """The config files in one folder of the scanned tree. Only named, never applied: a `.gateaudit.toml` by
    its name alone, a `pyproject.toml` when it holds a [tool.gateaudit] table, read only if it is a regular
    file (no link, which could lead out of the repository) of at most `_UNTRUSTED_PYPROJECT` bytes.
    `names`: every entry of the folder, where a walk listed them; a name not among them is not looked for."""
    found = []
    if ".gateaudit.toml" in names if names is not None else os.path.lexists(folder / ".gateaudit.toml"):
        found.append(folder / ".gateaudit.toml")
    if names is not None and "pyproject.toml" not in names:
        return found
    pyproject = folder / "pyproject.toml"
    try:
        read = read_regular(pyproject, _UNTRUSTED_PYPROJECT)
    except OSError:  # absent, a link, unreadable
        return found
    data = read[0] if read is not None else b""
    if b"gateaudit" not in data or len(data) > _UNTRUSTED_PYPROJECT:
        return found
    import tomllib  # here: most scans read no TOML at all

    try:
        if "gateaudit" in tomllib.loads(data.decode("utf-8")).get("tool", {}):
            found.append(pyproject)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, AttributeError, TypeError):
        pass
    return found


def _read(path: Path) -> dict:
    import tomllib

    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None


def load(path: Path) -> Config:
    document = _read(path)
    table = document.get("tool", {}).get("gateaudit", {}) if path.name == "pyproject.toml" else document
    where = f"{path}" + (" [tool.gateaudit]" if path.name == "pyproject.toml" else "")
    unknown_keys = sorted(set(table) - _TOP_KEYS)
    if unknown_keys:
        raise ConfigError(f"{where}: unknown key {unknown_keys[0]!r} (known: {', '.join(sorted(_TOP_KEYS))})")
    config = Config(path=str(path))
    if "fail-on" in table:
        config.fail_on = _severity(table["fail-on"], f"{where}: fail-on")
    if "unknown" in table:
        if table["unknown"] not in set(UnknownMode):
            raise ConfigError(f"{where}: unknown must be one of {', '.join(UnknownMode)}")
        config.unknown = UnknownMode(table["unknown"])
    config.skip_rules = tuple(_strings(table.get("skip-rules", []), f"{where}: skip-rules"))
    for key in ("inline-suppressions", "fail-on-suppressions", "fail-on-exemptions"):
        if key in table and not isinstance(table[key], bool):
            raise ConfigError(f"{where}: {key} must be true or false")
    config.inline_suppressions = table.get("inline-suppressions")
    config.fail_on_suppressions = table.get("fail-on-suppressions")
    config.fail_on_exemptions = table.get("fail-on-exemptions")
    severities = _table(table.get("severity", {}), f"{where}: severity")
    config.severity = {rule: _severity(value, f"{where}: severity.{rule}") for rule, value in severities.items()}
    options = _table(table.get("rules", {}), f"{where}: rules")
    config.rule_options = {rule: dict(_table(value, f"{where}: rules.{rule}")) for rule, value in options.items()}
    if "api-key-header" in table:
        config.api_key_header = _header(table["api-key-header"], f"{where}: api-key-header")
    rule_id, name = _OLD_HEADER_OPTION
    if name in config.rule_options.get(rule_id, {}):
        old = _header(config.rule_options[rule_id].pop(name), f"{where}: rules.{rule_id}.{name}")
        if not config.rule_options[rule_id]:
            del config.rule_options[rule_id]
        if config.api_key_header is not None and config.api_key_header.lower() != old.lower():
            raise ConfigError(f"{where}: rules.{rule_id}.{name} ({old!r}) and api-key-header "
                              f"({config.api_key_header!r}) disagree: keep api-key-header only")
        config.api_key_header = config.api_key_header or old
        config.deprecations.append(f"{where}: rules.{rule_id}.{name} is deprecated and will be removed: write "
                                   f"api-key-header = {old!r} at the top level instead (GA104 and GA406 read it)")
    exemptions = table.get("exemptions", [])
    if not isinstance(exemptions, list):
        raise ConfigError(f"{where}: exemptions must be an array of tables ([[exemptions]])")
    for number, exemption in enumerate(exemptions, start=1):
        config.exemptions.extend(_exemption(exemption, f"{where}: exemptions #{number}", _shown(path), number))
    return config


def _exemption(entry: Any, where: str, file: str, number: int) -> list[Suppression]:
    entry = _table(entry, where)
    unknown_keys = sorted(set(entry) - _EXEMPTION_KEYS)
    if unknown_keys:
        raise ConfigError(f"{where}: unknown key {unknown_keys[0]!r} (known: {', '.join(sorted(_EXEMPTION_KEYS))})")
    reason = entry.get("reason")
    if not isinstance(reason, str) or not reason.strip():
        raise ConfigError(f"{where}: an exemption needs a reason")
    pattern = entry.get("resources")
    if not isinstance(pattern, str) or not pattern:
        raise ConfigError(f'{where}: an exemption needs resources = "<address pattern>"')
    until = entry.get("until")
    if isinstance(until, str):
        try:
            until = date.fromisoformat(until)
        except ValueError:
            raise ConfigError(f"{where}: until must be a date (YYYY-MM-DD)") from None
    if until is not None and not isinstance(until, date):
        raise ConfigError(f"{where}: until must be a date (YYYY-MM-DD)")
    rules = _strings(entry.get("rules", []), f"{where}: rules") or [None]
    return [Suppression(rule, reason.strip(), until, "config", file, None, resource=pattern, entry=number)
            for rule in rules]


def _header(value: Any, where: str) -> str:
    if not isinstance(value, str) or not _HEADER_NAME.fullmatch(value):
        raise ConfigError(f"{where} must be an HTTP header name (letters, digits and - or _, no spaces), "
                          f"such as \"x-api-key\"; got {value!r}")
    return value


def _shown(path: Path) -> str:
    relative = os.path.relpath(path)
    return (str(path) if relative.startswith("..") else relative).replace(os.sep, "/")


def _severity(value: Any, where: str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        raise ConfigError(f"{where} must be one of {', '.join(s.value for s in Severity)}") from None


def _strings(value: Any, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where} must be a list of strings")
    return value


def _table(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    return value
