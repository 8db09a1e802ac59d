"""`gateaudit.settings`: what the config tells the rules, built once per scan and handed to them openly.

The engine (`gateaudit.engine`) builds one `Settings` from the config (`gateaudit.config.Config`) and passes
it to every rule whose `check` takes it: `check(stack, settings)`. A rule written as `check(stack)` reads no
settings and is called that way. Nothing is parked on the `Stack`: the model holds what the Terraform says,
the settings what the team configured.

- `api_key_header` is stack-wide: the header clients send the API key in (`api-key-header` at the top of the
  config, default `x-api-key`). GA104 requires authorizers to read it; GA406 refuses it in access log formats.
- `rule_options` are each rule's own options (`[rules.GA101]`), checked against the options the rule declares
  (`Rule.options`): an option a rule does not take, or a value unlike its default, is a config error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .config import Config, ConfigError, load

DEFAULT_API_KEY_HEADER = "x-api-key"


def _frozen(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


@dataclass(frozen=True)
class Settings:
    """The config as the rules read it: typed, and not to be changed once built."""

    api_key_header: str = DEFAULT_API_KEY_HEADER
    rule_options: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))

    def option(self, rule_id: str, name: str, default: Any) -> Any:
        """A rule's option as the config sets it, else `default` (the rule's declared default)."""
        return self.rule_options.get(rule_id, {}).get(name, default)

    def key(self) -> str:
        """Everything in these settings, as text: a judgement made with other settings is another judgement."""
        options = {rule: dict(values) for rule, values in self.rule_options.items()}
        return json.dumps({"api_key_header": self.api_key_header, "rule_options": options}, sort_keys=True,
                          default=str)


def from_config(config: Config, rules: Iterable) -> Settings:
    """The settings a config gives `rules` (loaded rules: `gateaudit.rules.LoadedRule`). Raises ConfigError when
    the config names a rule that takes no options, an option the rule does not declare, or a value whose shape
    is unlike the option's default."""
    where = config.path or "config"
    declared = {loaded.rule.id: loaded.rule.options for loaded in rules}
    for rule_id in config.rule_options:
        if rule_id not in declared:
            raise ConfigError(f"{where}: {rule_id} is not a rule with options")
    for rule_id, values in config.rule_options.items():
        for name, value in values.items():
            if name not in declared[rule_id]:
                names = ", ".join(sorted(declared[rule_id])) or "none"
                raise ConfigError(f"{where}: rules.{rule_id} has no option {name!r} (options: {names})")
            default = declared[rule_id][name]
            if not _same_shape(value, default):
                raise ConfigError(f"{where}: rules.{rule_id}.{name} must be like its default {default!r}")
    options = {rule_id: MappingProxyType({name: _frozen(value) for name, value in values.items()})
               for rule_id, values in config.rule_options.items()}
    return Settings(api_key_header=config.api_key_header or DEFAULT_API_KEY_HEADER,
                    rule_options=MappingProxyType(options))


def of_folder(folder: Path, rules: Iterable) -> Settings:
    """The settings of a folder's own `.gateaudit.toml` (a rule fixture's), read as any config file is; the
    defaults when it has none. Raises ConfigError."""
    own = folder / ".gateaudit.toml"
    return from_config(load(own), rules) if own.is_file() else Settings()


def _same_shape(value: Any, default: Any) -> bool:
    if isinstance(default, list | tuple):  # list options hold strings: methods, header names, policy names
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    return type(value) is type(default)
