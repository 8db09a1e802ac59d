"""Run rules over a loaded stack: collect results and errors, decide the exit code."""

from __future__ import annotations

import dataclasses
import inspect
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import limits
from .expr import Expr, Literal, ObjectExpr, walk
from .model import Attribute, Block, Stack
from .result import ControlSummary, Judgement, Report, Result, RuleInfo, ScanError, ScanMetadata, Severity, Status
from .schema import aws_type_names
from .suppressions import apply as apply_waivers
from .suppressions import inline_waivers, is_checkov_id

if TYPE_CHECKING:
    from .checkov import CheckovOptions

# Resource families the rules judge: a type that is almost one of these but not a real AWS type is an
# error, because the misspelt resource would otherwise be silently out of scope.
JUDGED_FAMILIES = ("aws_api_gateway_", "aws_apigatewayv2_", "aws_lambda_", "aws_iam_",
                   "aws_secretsmanager_", "aws_cloudwatch_log_")


def near_miss_errors(stack: Stack) -> list[ScanError]:
    names = aws_type_names()
    errors = []
    for block in stack.blocks():
        if block.kind not in ("resource", "data") or not block.type.startswith("aws_"):
            continue
        known = names["resource" if block.kind == "resource" else "data"]
        if block.type in known:
            continue
        candidates = sorted(t for t in known if t.startswith(JUDGED_FAMILIES))
        squashed = block.type.replace("_", "")
        guess = next((t for t in candidates if t.replace("_", "") == squashed), None)
        if guess is None:
            import difflib  # only here: a few ms of every scan's start-up otherwise

            close = difflib.get_close_matches(block.type, candidates, n=1, cutoff=0.9)
            guess = close[0] if close else None
        if guess is not None:
            errors.append(ScanError(block.location.file, block.location.line,
                                    f'unknown resource type "{block.type}": did you mean "{guess}"? '
                                    "gateaudit would not judge it as written"))
    return list({(e.file, e.line): e for e in errors}.values())


def run_rules(stack: Stack, rules: Iterable) -> tuple[list[Result], list[ScanError]]:
    results: list[Result] = []
    errors: list[ScanError] = []
    for loaded in rules:
        try:
            for result in loaded.check(stack):
                if not isinstance(result, Result):
                    raise TypeError(f"yielded {type(result).__name__}, not a Result")
                results.append(result)
        except Exception as error:  # a rule that raises is a bug, never a pass: exit 2 says so
            errors.append(ScanError(None, None, f"internal error in rule {loaded.rule.id} ({loaded.origin}): "
                                                f"{type(error).__name__}: {error}"))
    unique = {(r.rule_id, r.resource, r.file, r.line, r.attribute, r.status): r for r in results}
    return sorted(unique.values(), key=Result.sort_key), errors


def gate(results: Iterable[Result], errors: Iterable[ScanError], fail_on: Severity, unknown: str = "fail",
         fail_on_suppressions: bool = False) -> int:
    """0: nothing failed at or above fail_on; 1: something did; 2: the scan cannot be trusted.

    An unknown result counts as a failure unless `unknown` says otherwise: what cannot be proven secure
    is not waved through by default. With fail_on_suppressions, an inline suppression fails the gate by
    being there, so a change cannot silence the gate that judges it.
    """
    if list(errors):
        return 2
    blocking = (Status.FAILED, Status.UNKNOWN) if unknown == "fail" else (Status.FAILED,)
    results = list(results)
    if any(r.status in blocking and r.severity.rank >= fail_on.rank for r in results):
        return 1
    if fail_on_suppressions and any(r.suppression and r.suppression.source == "inline" for r in results):
        return 1
    return 0


@dataclass
class ScanOptions:
    """What the command line asks for; None means "as the config file says, else the default"."""

    paths: list[Path]
    display_paths: list[str]
    var_files: list[Path] = field(default_factory=list)
    rules_dirs: list[Path] = field(default_factory=list)
    fail_on: Severity | None = None
    unknown: str | None = None
    inline_suppressions: bool | None = None
    fail_on_suppressions: bool | None = None
    baseline: Path | None = None
    config: Path | None = None  # an explicit config file; otherwise found from the first path upwards
    use_config: bool = True
    use_cache: bool = True  # the parse and scan caches in the user's cache folder
    checkov: CheckovOptions | None = None  # set: run Checkov too and merge its results (`--with-checkov`)
    max_file_size: int = limits.MAX_FILE_SIZE  # bytes: a larger file is a scan error, never read
    max_scan_size: int = limits.MAX_SCAN_SIZE  # bytes of every file read, added up: past it, a scan error
    root: Path | None = None  # the repository root (checker.root); None: found from the current folder


class SetupError(Exception):
    """A broken config, baseline or rules folder: the scan cannot be trusted (exit 2)."""


def scan(options: ScanOptions) -> Report:
    from gateaudit.rules import CONTROLS, Control, RuleLoadError, load_rules

    from . import config as config_file
    from .baseline import BaselineError
    from .baseline import load as load_baseline
    try:
        settings = _config(options, config_file)
        every_rule = load_rules(options.rules_dirs)
        rules = [r for r in every_rule if r.rule.id not in settings.skip_rules]
        waivers = list(settings.exemptions)
        if options.baseline is not None:
            waivers += load_baseline(options.baseline)
    except (config_file.ConfigError, RuleLoadError, BaselineError) as error:
        raise SetupError(str(error)) from None
    known = {loaded.rule.id for loaded in every_rule}  # a skipped rule is still a rule a comment may name
    _check_config_names(settings, every_rule, known)
    fail_on = options.fail_on or settings.fail_on or Severity.LOW
    unknown_mode = options.unknown or settings.unknown or "fail"
    use_inline = _first(options.inline_suppressions, settings.inline_suppressions, True)
    fail_on_suppressions = _first(options.fail_on_suppressions, settings.fail_on_suppressions, False)

    judgement = judge(options, rules, settings.rule_options)
    results, errors = list(judgement.results), list(judgement.errors)
    if not judgement.files and not errors:
        shown = ", ".join(options.display_paths)
        errors.append(ScanError(None, None, f"no Terraform files (*.tf, *.tf.json) found under {shown}"))
    controls, peer_rules = dict(CONTROLS), []
    if options.checkov is not None:
        from . import checkov

        peer = checkov.run(options.paths, options.var_files, options.checkov)
        skipped = set(settings.skip_rules)  # Checkov's checks too, like its own --skip-check
        results = sorted([*results, *(r for r in peer.results if r.rule_id not in skipped)], key=Result.sort_key)
        errors.extend(peer.errors)
        peer_rules = [info for info in peer.rules if info.id not in skipped]
        known = known | {info.id for info in peer.rules}  # `# gateaudit:ignore CKV_AWS_59 reason=...` works too
        controls[checkov.OTHER] = Control(checkov.OTHER, "Checkov checks outside gateaudit's four controls",
                                          "no Checkov check outside the four controls judged anything")
    results = [dataclasses.replace(r, severity=settings.severity[r.rule_id]) if r.rule_id in settings.severity
               else r for r in results]
    inline, inline_errors = inline_waivers(judgement, known) if use_inline else ({}, [])
    errors.extend(inline_errors)
    metadata = _metadata(options, judgement.var_files, fail_on, unknown_mode, use_inline, fail_on_suppressions,
                         settings.path)
    today = date.fromisoformat(metadata.generated_at[:10])  # strptime would import _strptime and locale
    results, used = apply_waivers(results, judgement, inline, waivers, today)
    stale = tuple({"rule_id": w.rule_id, "resource": w.resource, "attribute": w.attribute, "file": w.file,
                   "line": w.line} for w in waivers if w.source == "baseline" and w not in used)
    errors = sorted(set(errors), key=ScanError.sort_key)
    return Report(
        metadata=metadata,
        rules=(*(_rule_info(loaded, settings.severity) for loaded in rules), *peer_rules),
        results=tuple(results), errors=tuple(errors), not_scanned=judgement.not_scanned,
        controls=tuple(_controls(results, rules, controls)),
        exit_code=gate(results, errors, fail_on, unknown_mode, fail_on_suppressions),
        snippets=_snippets(results, judgement.sources, judgement.secrets),
        stale_baseline=stale,
    )


def judge(options: ScanOptions, rules: list, rule_options: dict) -> Judgement:
    """Load the stack and run the rules; or reuse the judgement of an earlier scan of the same unchanged files."""
    from . import scan_cache
    from .modules import load_with_inputs
    from .parse_many import cache_folder

    folder = cache_folder() if options.use_cache else None
    name = None
    if folder is not None:
        name = scan_cache.key(options.paths, options.display_paths, options.var_files, rules, options.rules_dirs,
                              rule_options, options.max_file_size, options.max_scan_size)
        kept = scan_cache.load(folder, name)
        if kept is not None:
            return kept
    loader = load_with_inputs(options.paths, options.var_files, use_cache=options.use_cache,
                              max_file_size=options.max_file_size, max_scan_size=options.max_scan_size)
    stack = loader.stack
    stack.rule_options = rule_options
    errors = [*loader.errors, *near_miss_errors(stack)]
    results, rule_errors = run_rules(stack, rules)
    not_scanned = tuple({"module": n.address, "source": n.source, "file": n.location.file,
                         "line": n.location.line, "reason": n.reason} for n in stack.not_scanned)
    judgement = Judgement(results=results, errors=[*errors, *rule_errors], files=list(stack.files),
                          var_files=list(stack.var_files), comments=dict(stack.comments), spans=dict(stack.spans),
                          sources=dict(stack.sources), not_scanned=not_scanned,
                          secrets=secret_literals(stack, results))
    if folder is not None and name is not None:
        scan_cache.save(folder, name, loader.inputs, judgement)
    return judgement


def _first(*values):
    return next(value for value in values if value is not None)


def _config(options: ScanOptions, config_file):
    if not options.use_config:
        return config_file.Config()
    path = options.config or (config_file.find(options.paths[0]) if options.paths else None)
    if options.config is not None and not options.config.is_file():
        raise config_file.ConfigError(f"--config {options.config}: no such file")
    return config_file.load(path) if path else config_file.Config()


def _check_config_names(settings, rules, known: set[str]) -> None:
    """Rule ids and options the config names must exist: a typo must not quietly do nothing."""
    where = settings.path or "config"
    for rule_id in [*settings.skip_rules, *settings.severity, *(w.rule_id for w in settings.exemptions if w.rule_id)]:
        if rule_id not in known and not is_checkov_id(rule_id):
            raise SetupError(f"{where}: {rule_id} is not a rule")
    for rule_id in settings.rule_options:
        if rule_id not in known:
            raise SetupError(f"{where}: {rule_id} is not a rule with options")
    declared = {loaded.rule.id: loaded.rule.options for loaded in rules}
    for rule_id, values in settings.rule_options.items():
        for name, value in values.items():
            if name not in declared[rule_id]:
                names = ", ".join(sorted(declared[rule_id])) or "none"
                raise SetupError(f"{where}: rules.{rule_id} has no option {name!r} (options: {names})")
            default = declared[rule_id][name]
            if not _same_shape(value, default):
                raise SetupError(f"{where}: rules.{rule_id}.{name} must be like its default {default!r}")


def _same_shape(value, default) -> bool:
    if isinstance(default, list):  # list options hold strings: methods, header names, policy names
        return isinstance(value, list) and all(isinstance(item, str) for item in value)
    return type(value) is type(default)


def _controls(results: list[Result], rules, controls) -> list[ControlSummary]:
    summaries = []
    for control_id in list(controls) + sorted({r.rule.control for r in rules} - set(controls)):
        counts = {status.value: 0 for status in Status}
        for result in results:
            if result.control == control_id:
                counts[result.status.value] += 1
        known = controls.get(control_id)
        empty = None
        if not any(counts.values()):
            empty = known.nothing_in_scope if known else "nothing in scope"
        summaries.append(ControlSummary(control_id, known.title if known else control_id, counts, empty))
    return summaries


def _rule_info(loaded, severity: dict[str, Severity]) -> RuleInfo:
    rule = loaded.rule
    module = sys.modules.get(loaded.check.__module__)
    help_text = inspect.cleandoc(module.__doc__) if module is not None and module.__doc__ else rule.rationale
    return RuleInfo(id=rule.id, control=rule.control, severity=severity.get(rule.id, rule.severity), title=rule.title,
                    rationale=rule.rationale, remediation=rule.remediation, mappings=dict(rule.mappings),
                    help=help_text, origin=loaded.origin)


SNIPPET_BEFORE, SNIPPET_AFTER = 2, 8


def _snippets(results: list[Result], sources: dict[str, str],
              secrets: set[str]) -> dict[str, tuple[tuple[int, str], ...]]:
    """The source lines around each failed or unknown result, for reports a reviewer reads.

    A literal that a secret-not-hardcoded finding is about is masked wherever it shows: the report
    names the problem; it must not become one more copy of the secret.
    """
    snippets: dict[str, tuple[tuple[int, str], ...]] = {}
    lines_of: dict[str, list[str]] = {}
    for result in results:
        key = f"{result.file}:{result.line}"
        if result.status not in (Status.FAILED, Status.UNKNOWN) or key in snippets or result.file not in sources:
            continue
        lines = lines_of.setdefault(result.file, sources[result.file].splitlines())
        first = max(1, result.line - SNIPPET_BEFORE)
        last = min(len(lines), result.line + SNIPPET_AFTER)
        snippets[key] = tuple((number, _mask(lines[number - 1], secrets)) for number in range(first, last + 1))
    return snippets


MASK = "****"


def _mask(line: str, secrets: set[str]) -> str:
    for secret in secrets:
        if secret in line:
            line = line.replace(secret, MASK)
    return line


def secret_literals(stack: Stack, results: list[Result]) -> set[str]:
    """The string literals behind failed secret-not-hardcoded results."""
    found: set[str] = set()
    flagged = {(r.resource, r.attribute) for r in results
               if r.control == "secret-not-hardcoded" and r.status == Status.FAILED}
    if not flagged:
        return found
    for block in stack.blocks():
        for address, path in flagged:
            if block.address != address:
                continue
            attribute = _attribute_at(block, path) if path else None
            expressions = [attribute.expr] if attribute else [a.expr for a in block.attributes.values()]
            if block.kind == "variable" and block.name in block.module.variable_values:
                expressions.append(block.module.variable_values[block.name].attribute.expr)
            for expression in expressions:
                found.update(_string_values(expression))
    return found


def _string_values(expression: Expr) -> set[str]:
    """String literals used as values (not object keys), long enough to be worth masking."""
    keys = {id(key) for node in walk(expression) if isinstance(node, ObjectExpr) for key, _ in node.items}
    return {node.value for node in walk(expression) if isinstance(node, Literal) and id(node) not in keys
            and isinstance(node.value, str) and len(node.value) >= 6}


def _attribute_at(block: Block, path: str) -> Attribute | None:
    *nested, name = path.split(".")
    for part in nested:
        children = block.blocks(part)
        if not children:
            return None
        block = children[0]
    return block.get(name)


def _metadata(options: ScanOptions, var_files: list[str], fail_on: Severity, unknown: str, inline: bool,
              fail_on_suppressions: bool, config_path: str | None) -> ScanMetadata:
    from gateaudit import __version__
    from gateaudit.rules import RULESET_VERSION

    paths = options.paths
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    first = paths[0] if paths else Path(".")
    base = first if first.is_dir() else first.parent
    if len(paths) > 1:
        base = Path(".")
    commit, branch, top = _git(base if base.exists() else Path("."))
    uri_base = ""
    if base.exists():
        relative = os.path.relpath(base.resolve(), top or Path.cwd().resolve()).replace(os.sep, "/")
        uri_base = "" if relative == "." else relative + "/"
    return ScanMetadata(tool="gateaudit", version=__version__, ruleset_version=RULESET_VERSION,
                        generated_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"), paths=tuple(options.display_paths),
                        var_files=tuple(var_files), fail_on=fail_on, git_commit=commit, git_branch=branch,
                        uri_base=uri_base, unknown=unknown, inline_suppressions=inline,
                        fail_on_suppressions=fail_on_suppressions, config_file=_shown(config_path),
                        baseline_file=_shown(options.baseline))


def _shown(path: str | Path | None) -> str | None:
    if path is None:
        return None
    relative = os.path.relpath(path)
    return (str(path) if relative.startswith("..") else relative).replace(os.sep, "/")


def _git(directory: Path) -> tuple[str | None, str | None, Path | None]:
    """The commit, branch and top folder of the git work tree holding `directory`, where there is one."""
    try:
        done = subprocess.run(["git", "-C", str(directory), "rev-parse", "HEAD", "--abbrev-ref", "HEAD",
                               "--show-toplevel"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None, None, None
    lines = done.stdout.split("\n")
    if done.returncode != 0 or len(lines) < 3:
        return None, None, None
    branch = lines[1] if lines[1] != "HEAD" else None  # a detached HEAD has no branch
    return lines[0], branch, Path(lines[2]).resolve()
