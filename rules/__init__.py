"""gateaudit's policies: one module per rule, each with `RULE = Rule(...)` and `check(stack)`, or
`check(stack, settings)` when it reads the config (`gateaudit.settings.Settings`: its options, the API-key header).

Modules whose name starts with an underscore hold shared helpers and are not rules. User rules in
`--rules-dir` follow the same contract.
"""

from __future__ import annotations

import importlib
import importlib.machinery
import importlib.util
import inspect
import itertools
import os
import pkgutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, ClassVar

from gateaudit.result import Result, Severity, Status
from gateaudit.settings import Settings

if TYPE_CHECKING:  # not imported by a scan that reuses a judgement: it reads the rules from their catalogue
    from gateaudit.model import Attribute, Block, Location, Stack

RULESET_VERSION = "2026.11.0"


@dataclass(frozen=True)
class Control:
    id: str
    title: str
    nothing_in_scope: str  # what a report says when a scan finds nothing this control judges


CONTROLS = {
    control.id: control
    for control in (
        Control("authorizer-attached", "Every route is guarded by a Lambda authorizer",
                "no API Gateway methods, routes or authorizers found"),
        Control("secret-not-hardcoded", "No secret is written into the configuration",
                "no secrets, API keys, Lambda environments, secret-like variables or providers found"),
        Control("scoped-permission", "Invoke permissions and IAM policies are least-privilege",
                "no Lambda permissions and no policies of Lambda roles (inline, attached or managed) found"),
        Control("logging-enabled", "Stages and the authorizer log, without logging the key",
                "no API Gateway stages, method settings or Lambda functions found"),
    )
}


@dataclass(frozen=True)
class Rule:
    id: str
    control: str
    severity: Severity
    title: str  # states the requirement
    rationale: str
    remediation: str
    mappings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # framework -> control ids
    options: dict[str, Any] = field(default_factory=dict)  # option -> default; set per repo in the config
    deprecated: bool = False

    def option(self, settings: Settings, name: str) -> Any:
        """This rule's option as the configuration sets it, else its default."""
        return settings.option(self.id, name, self.options[name])

    def passed(self, block: Block, message: str = "", attribute: str | None = None,
               location: Location | None = None) -> Result:
        return self._result(Status.PASSED, block, message or self.title, attribute, location)

    def failed(self, block: Block, message: str, attribute: str | None = None,
               location: Location | None = None) -> Result:
        return self._result(Status.FAILED, block, message, attribute, location)

    def unknown(self, block: Block, message: str, attribute: str | None = None,
                location: Location | None = None) -> Result:
        return self._result(Status.UNKNOWN, block, message, attribute, location)

    def _result(self, status: Status, block: Block, message: str, attribute: str | Attribute | None,
                location: Location | None) -> Result:
        if attribute is not None and not isinstance(attribute, str):  # an Attribute: its path
            attribute = attribute.path
        where = location or block.location
        elsewhere = where != block.location
        return Result(rule_id=self.id, control=self.control, severity=self.severity, status=status,
                      resource=block.address, file=where.file, line=where.line, message=message,
                      attribute=attribute, block_file=block.location.file if elsewhere else None,
                      block_line=block.location.line if elsewhere else None)


@dataclass(frozen=True)
class LoadedRule:
    rule: Rule
    check: Callable[..., Iterator[Result]]  # check(stack), or check(stack, settings)
    origin: str  # "gateaudit.rules.ga101_..." or the user's file
    # Told once: a folder judged one root at a time runs each rule once per root, and inspect.signature is slow
    takes_settings: bool = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "takes_settings", _takes_settings(self.check))

    def run(self, stack: Stack, settings: Settings) -> Iterator[Result]:
        """The rule's results: `check(stack, settings)` when its check takes a second argument, else `check(stack)`."""
        return self.check(stack, settings) if self.takes_settings else self.check(stack)

    @property
    def help(self) -> str:
        """What reports show as the rule's help: its module's docstring, else its rationale."""
        module = sys.modules.get(self.check.__module__)
        return inspect.cleandoc(module.__doc__) if module is not None and module.__doc__ else self.rule.rationale


@dataclass(frozen=True)
class ListedRule:
    """A built-in rule as its catalogue keeps it (`gateaudit.scan_cache.rule_catalogue`): all the config, the scan
    cache's key and reports read of a rule, without its check. A scan that reuses a judgement runs no rule, and so
    imports none, nor the model they import; `load_rules` gives the rules to run."""

    rule: Rule
    origin: str
    help: str


def _takes_settings(check: Callable[..., Any]) -> bool:
    try:
        parameters = list(inspect.signature(check).parameters.values())
    except (TypeError, ValueError):  # a callable without a signature Python can read: called as check(stack)
        return False
    positional = [p for p in parameters if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(positional) >= 2 or any(p.kind == p.VAR_POSITIONAL for p in parameters)


class RuleLoadError(Exception):
    pass


def load_rules(rules_dirs: list[Path] | None = None) -> list[LoadedRule]:
    """The built-in rules, then those in each `--rules-dir`, sorted by id. Raises RuleLoadError."""
    loaded: list[LoadedRule] = []
    package = sys.modules[__name__]
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        loaded.append(_loaded(module, module.__name__))
    for directory in rules_dirs or []:
        if not directory.is_dir():
            raise RuleLoadError(f"--rules-dir {directory}: no such folder")
        package = _user_package(directory)
        for path in sorted(directory.glob("*.py")):
            if not path.name.startswith("_"):
                loaded.append(_loaded(_import_file(path, package), str(path)))
    seen: dict[str, str] = {}
    for item in loaded:
        if item.rule.id in seen:
            raise RuleLoadError(f"rule id {item.rule.id} is defined twice: in {seen[item.rule.id]} and {item.origin}")
        seen[item.rule.id] = item.origin
    return sorted((item for item in loaded if not item.rule.deprecated), key=lambda item: item.rule.id)


class _FromSource(importlib.machinery.SourceFileLoader):
    """Runs a user's rule file from its source, every time. Python would run a `.pyc` beside it instead when the
    source's size and modification time match it (a file rewritten with both kept runs its old code), or
    without any check (an unchecked hash-based `.pyc`); the scan cache knows rule files by their content."""

    def get_code(self, fullname: str) -> Any:
        return self.source_to_code(self.get_data(self.path), self.path)


_USER_PACKAGES = itertools.count()


class _UserHelpers:  # a finder on sys.meta_path: its find_spec is all Python asks (importlib.abc costs 2 ms)
    """Finds the helper modules (`_helpers.py`, any `_*.py`) beside a user's rules, for `from ._helpers import x`.

    Each `--rules-dir`, at each load, is a package of its own (`gateaudit_user_rules_<n>`), so two folders with a
    helper of the same name never share it, and a reload runs the helpers' current source. A helper that fails to
    import is a RuleLoadError naming the helper's file.
    """

    folders: ClassVar[dict[str, Path]] = {}

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        package, _, stem = fullname.rpartition(".")
        folder = self.folders.get(package)
        if folder is None or not stem.startswith("_") or not (folder / f"{stem}.py").is_file():
            return None
        file = folder / f"{stem}.py"
        return importlib.util.spec_from_file_location(fullname, file, loader=_Helper(fullname, str(file)))


class _Helper(_FromSource):
    def exec_module(self, module: ModuleType) -> None:
        try:
            super().exec_module(module)
        except RuleLoadError:
            raise
        except BaseException as error:  # a user's helper may raise anything, as a rule file may
            raise RuleLoadError(f"{self.path}: import failed: {describe(error)}") from None


def _user_package(directory: Path) -> str:
    """A fresh package for one `--rules-dir`: its rules' `from ._name import ...` finds `_name.py` there."""
    name = f"gateaudit_user_rules_{next(_USER_PACKAGES)}"
    package = ModuleType(name)
    package.__path__ = []  # a package: its submodules come from _UserHelpers, never from a path search
    package.__package__ = name
    sys.modules[name] = package
    _UserHelpers.folders[name] = directory
    if not any(isinstance(finder, _UserHelpers) for finder in sys.meta_path):
        sys.meta_path.insert(0, _UserHelpers())
    return name


def _import_file(path: Path, package: str = "gateaudit_user_rules") -> ModuleType:
    name = f"{package}.{path.stem}"
    spec = importlib.util.spec_from_file_location(name, path, loader=_FromSource(name, str(path)))
    if spec is None or spec.loader is None:
        raise RuleLoadError(f"{path}: cannot be imported")
    module = importlib.util.module_from_spec(spec)
    try:
        with process_exit_refused():
            spec.loader.exec_module(module)
    except RuleLoadError as error:  # a helper it imports failed: that error names the helper's file
        raise RuleLoadError(f"{error} (imported by {path})") from None
    except BaseException as error:  # a user's rule file may raise anything, SystemExit included
        raise RuleLoadError(f"{path}: import failed: {describe(error)}{_hint(error, path)}") from None
    return module


def _hint(error: BaseException, path: Path) -> str:
    """For `from _helpers import x`: the helper is there, but is imported relatively."""
    if isinstance(error, ModuleNotFoundError) and error.name and (path.parent / f"{error.name}.py").is_file():
        return f"; import a helper beside the rule relatively: from .{error.name} import ..."
    return ""


class ProcessExitRefused(BaseException):
    """A rule called `os._exit`: the process goes on, and the rule is reported as broken."""


@contextmanager
def process_exit_refused() -> Iterator[None]:
    """While rules load and run, `os._exit` raises instead of ending the process.

    `sys.exit` and every other BaseException are caught where rules are called; `os._exit` would end
    the process at once, with exit 0 and no report. This is robustness, not a sandbox: rules are code the
    command line chose to run.
    """
    modules = [os, *(sys.modules[name] for name in ("posix", "nt") if name in sys.modules)]
    originals = [(module, module._exit) for module in modules]

    def refuse(status: int) -> None:
        raise ProcessExitRefused(f"called os._exit({status!r})")

    for module, _ in originals:
        module._exit = refuse
    try:
        yield
    finally:
        for module, original in originals:
            module._exit = original


def describe(error: BaseException) -> str:
    """What a rule raised, for the error that names it."""
    if isinstance(error, ProcessExitRefused):
        return str(error)
    if isinstance(error, SystemExit):
        return f"SystemExit (exit status {error.code!r}): a rule must not end the scan"
    text = str(error)
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _loaded(module: ModuleType, origin: str) -> LoadedRule:
    rule = getattr(module, "RULE", None)
    check = getattr(module, "check", None)
    if not isinstance(rule, Rule) or not callable(check):
        raise RuleLoadError(f"{origin}: a rule module needs RULE = Rule(...) and def check(stack)")
    if not isinstance(rule.severity, Severity):
        raise RuleLoadError(f"{origin}: {rule.id} severity must be a Severity")
    return LoadedRule(rule, check, origin)
