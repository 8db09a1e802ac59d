"""`gateaudit.engine`: load the rules, run them over a loaded stack, and collect their results and errors.

`scan` is the whole scan the CLI asks for: it loads the config and the rules, judges the stack (`judge`, or
the scan cache's earlier judgement), then hands the results on: the team's decisions about them to
`gateaudit.policy` (severities, suppressions), the verdict to `gateaudit.gate`, and the report to
`gateaudit.report`.
"""

from __future__ import annotations

import dataclasses
import gc
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import limits, masking, policy, report
from .config import ConfigError
from .discover import display_prefix, skip_reason
from .result import (
    Judgement,
    Report,
    Result,
    RuleFailure,
    ScanError,
    ScanWarning,
    Severity,
    Status,
    UnknownMode,
)
from .root import repository_root, root_of
from .schema import aws_type_names
from .settings import Settings, from_config
from .suppressions import inline_suppressions, is_checkov_id

if TYPE_CHECKING:
    from .checkov import CheckovOptions
    from .loader import Loader
    from .model import Block, Stack
    from .relations import Relations

# Resource families the rules judge: a type that is almost one of these but not a real AWS type is an
# error, because the misspelt resource would otherwise be silently out of scope.
JUDGED_FAMILIES = ("aws_api_gateway_", "aws_apigatewayv2_", "aws_lambda_", "aws_iam_",
                   "aws_secretsmanager_", "aws_cloudwatch_log_")
DEFAULTS = Settings()  # a scan without a config


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


def run_rules(stack: Stack, rules: Iterable, settings: Settings = DEFAULTS) -> tuple[list[Result], list[ScanError]]:
    """Every rule's results on `stack`, given `settings` (the config's; the defaults when none is given), sorted,
    and an error naming each rule that raised and the block it was judging."""
    by_rule, errors = _each_rule(stack, rules, settings)
    return _merged(by_rule), errors


def _each_rule(stack: Stack, rules: Iterable, settings: Settings) -> tuple[list[list[Result]], list[ScanError]]:
    """Each rule's results on `stack`, as it yielded them, and an error for each rule that raised."""
    from gateaudit.rules import describe, process_exit_refused

    by_rule: list[list[Result]] = []
    errors: list[ScanError] = []
    for loaded in rules:
        results: list[Result] = []
        by_rule.append(results)
        last: Result | None = None
        try:
            with process_exit_refused():
                for result in loaded.run(stack, settings):
                    if not isinstance(result, Result):
                        raise TypeError(f"yielded {type(result).__name__}, not a Result")
                    results.append(result)
                    last = result
        except BaseException as error:  # a rule that raises, or tries to exit, is a bug, never a pass: exit 2
            errors.append(_rule_failure(loaded, error, last, describe(error)))
    return by_rule, errors


def _merged(by_rule: list[list[Result]]) -> list[Result]:
    """The rules' results, one for a block judged alike several times (a shared module's, once per root that
    calls it: the last one judged), sorted."""
    unique = {(r.rule_id, r.resource, r.file, r.line, r.attribute, r.status): r
              for results in by_rule for r in results}
    return sorted(unique.values(), key=Result.sort_key)


def _rule_failure(loaded, error: BaseException, last: Result | None, what: str) -> RuleFailure:
    """The error for a rule that raised, naming the block it was judging; else the last block it judged."""
    rule = loaded.rule
    block = _block_being_judged(error, loaded.check.__module__)
    if block is not None:
        return RuleFailure(block.location.file, block.location.line,
                           f"internal error in rule {rule.id} ({loaded.origin}) while judging {block.address}: {what}",
                           rule.id, rule.control, block.address)
    if last is not None:  # what it judged last: where it was when it raised, the closest honest answer
        return RuleFailure(last.file, last.line, f"internal error in rule {rule.id} ({loaded.origin}) after judging "
                                                 f"{last.resource}: {what}", rule.id, rule.control, last.resource)
    return RuleFailure(None, None, f"internal error in rule {rule.id} ({loaded.origin}): {what}", rule.id,
                       rule.control)


def _block_being_judged(error: BaseException, module: str) -> Block | None:
    """The block a rule was judging when it raised, from the frames of the rule and its helpers: the outermost
    of its functions that was given a block (`_judge(method, ...)`), else a block its innermost frame held
    (`for method in stack.resources(...)`, in `check`)."""
    from .model import Block  # a rule ran, so the model is loaded

    package = module.rpartition(".")[0] or module
    frames = []
    trace = error.__traceback__
    while trace is not None:
        name = trace.tb_frame.f_globals.get("__name__", "")
        if name == module or name.startswith(package + "."):
            frames.append(trace.tb_frame)
        trace = trace.tb_next
    for frame in frames:
        code = frame.f_code
        for argument in code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]:
            value = frame.f_locals.get(argument)
            if isinstance(value, Block):
                return value
    for frame in reversed(frames):
        held = [value for value in frame.f_locals.values() if isinstance(value, Block)]
        if held:
            return held[-1]
    return None


@dataclass
class ScanOptions:
    """What the command line asks for; None means "as the config file says, else the default"."""

    paths: list[Path]
    display_paths: list[str]
    var_files: list[Path] = field(default_factory=list)
    rules_dirs: list[Path] = field(default_factory=list)
    fail_on: Severity | None = None
    unknown: UnknownMode | None = None
    inline_suppressions: bool | None = None
    fail_on_suppressions: bool | None = None
    baseline: Path | None = None
    config: Path | None = None  # an explicit config file; otherwise found from the first path upwards
    use_config: bool = True
    use_cache: bool = True  # the parse and scan caches in the user's cache folder
    checkov: CheckovOptions | None = None  # set: run Checkov too and merge its results (`--with-checkov`)
    max_file_size: int = limits.MAX_FILE_SIZE  # bytes: a larger file is a scan error, never read
    max_scan_size: int = limits.MAX_SCAN_SIZE  # bytes of every file read, added up: past it, a scan error
    root: Path | None = None  # the repository root (gateaudit.root); None: found from the current folder
    fail_on_exemptions: bool | None = None  # an applied config exemption fails the scan by being there
    today: date | None = None  # the date suppressions expire against (--today); None: the real date
    strict_config: bool = False  # a config file inside the scanned tree is an error, not a warning
    allow_unscanned_modules: bool = False  # module calls not read are suppressed (shown), not unknown
    skip_paths: tuple[str, ...] = ()  # --skip-path: globs of folders and files not to read (discover.skip_reason)
    config_dir: Path | None = None  # --config-dir: a scanned plan's configuration, when it is not beside the plan
    # `gateaudit drift`: the snapshot of the account (gateaudit.aws) the scanned paths are compared with, by the
    # drift rules (gateaudit.drift) instead of the rules
    account: Path | None = None


class SetupError(Exception):
    """A broken config, baseline or rules folder: the scan cannot be trusted (exit 2)."""


def scan(options: ScanOptions) -> Report:
    from gateaudit.rules import CONTROLS, Control, RuleLoadError

    from . import config as config_file
    from .baseline import BaselineError
    from .baseline import load as load_baseline
    try:
        config, untrusted_configs = _config(options, config_file)
        every_rule = judged = _rules(options)
        if options.account is not None:  # drift runs the drift rules; a config or a comment may name both kinds
            from .drift import DRIFT_LOADED

            judged = list(DRIFT_LOADED)
            every_rule = [*every_rule, *judged]
        rules = [r for r in judged if r.rule.id not in config.skip_rules]
        # `known`: a skipped rule is still a rule a comment may name
        _check_config_names(config, known := {loaded.rule.id for loaded in every_rule})
        settings = from_config(config, every_rule)
        suppressions = list(config.exemptions)
        if options.baseline is not None:
            suppressions += load_baseline(options.baseline)
        if options.allow_unscanned_modules:
            suppressions += policy.unscanned_allowed()
    except (config_file.ConfigError, RuleLoadError, BaselineError) as error:
        raise SetupError(str(error)) from None
    fail_on = options.fail_on or config.fail_on or Severity.LOW
    unknown_mode = UnknownMode(options.unknown or config.unknown or UnknownMode.FAIL)
    use_inline = _first(options.inline_suppressions, config.inline_suppressions, True)
    fail_on_suppressions = _first(options.fail_on_suppressions, config.fail_on_suppressions, False)
    fail_on_exemptions = _first(options.fail_on_exemptions, config.fail_on_exemptions, False)

    judgement = judge(options, rules, settings)
    results, errors = list(judgement.results), list(judgement.errors)
    suppressions += policy.skipped_modules(judgement)
    warnings: list[ScanWarning] = [ScanWarning(None, None, text) for text in config.deprecations]
    for shown in untrusted_configs:
        found = (ScanError if options.strict_config else ScanWarning)(
            shown, None, "a config file inside the scanned tree is not applied: only the config at the "
                         f"repository root ({_repository(options)}) and above, or --config, decide the gate")
        (errors if options.strict_config else warnings).append(found)
    if not judgement.files and not errors:
        shown = ", ".join(options.display_paths)
        errors.append(ScanError(None, None, f"no Terraform files (*.tf, *.tf.json) found under {shown}"))
    controls, peer_rules = dict(CONTROLS), []
    if options.account is not None:  # a control no drift rule compares is not "not applicable": it is not shown
        controls = {name: control for name, control in controls.items() if any(r.rule.control == name for r in rules)}
    if options.checkov is not None:
        from . import checkov

        peer = checkov.run(options.paths, options.var_files, options.checkov, skip_comments=use_inline)
        skipped = set(config.skip_rules)  # Checkov's checks too, like its own --skip-check
        peer_results = _fingerprinted([r for r in peer.results if r.rule_id not in skipped
                                       and not _skipped_file(r.file, options)])
        results = sorted([*results, *peer_results], key=Result.sort_key)
        errors.extend(peer.errors)
        peer_rules = [info for info in peer.rules if info.id not in skipped]
        known = known | {info.id for info in peer.rules}  # `# gateaudit:ignore CKV_AWS_59 reason=...` works too
        controls[checkov.OTHER] = Control(checkov.OTHER, "Checkov checks outside gateaudit's four controls",
                                          "no Checkov check outside the four controls judged anything")
    results = policy.with_severities(results, config.severity)
    # Masked before suppressions: a baseline written from this report's addresses must match them again.
    results = masking.mask_results(results, judgement.secrets)
    inline, inline_errors = inline_suppressions(judgement, known) if use_inline else ({}, [])
    errors.extend(inline_errors)
    # Expiry is judged against the real date, or the one the command line gives: SOURCE_DATE_EPOCH makes
    # reports reproducible, and must not let a build's environment bring an expired suppression back to life.
    today = options.today or datetime.now(UTC).date()
    metadata = report.metadata(options.paths, options.display_paths, judgement, fail_on, unknown_mode, use_inline,
                               fail_on_suppressions, fail_on_exemptions, config.path, options.baseline, today)
    applied = policy.apply(results, judgement, inline, suppressions, config.exemptions, today,
                           checkov_ran=options.checkov is not None)
    return report.assemble(
        metadata, (*(report.rule_info(loaded, config.severity) for loaded in rules), *peer_rules),
        applied.results, sorted(set(errors), key=ScanError.sort_key), judgement,
        report.control_summaries(applied.results, rules, controls, errors), applied.stale_baseline,
        [*warnings, *applied.warnings])


def _rules(options: ScanOptions) -> list:
    """The rules a scan runs, as the config, the scan cache's key and reports read them. Without `--rules-dir`, the
    built-in rules' catalogue in the cache folder (`scan_cache.rule_catalogue`): a scan that then reuses a judgement
    imports no rule. `judge` loads the rules themselves only when it runs them."""
    from gateaudit.rules import load_rules

    if options.rules_dirs or not options.use_cache or options.account is not None:
        return load_rules(options.rules_dirs)
    from . import scan_cache
    from .cache import open_cache

    cache = open_cache()
    return scan_cache.rule_catalogue(cache) if cache is not None else load_rules([])


def _loaded(rules: list) -> list:
    """The rules to run: each listed one (`ListedRule`, from the catalogue) replaced by the rule it lists."""
    from gateaudit.rules import ListedRule, load_rules

    if not any(isinstance(rule, ListedRule) for rule in rules):
        return rules
    loaded = {rule.rule.id: rule for rule in load_rules([])}
    return [loaded[rule.rule.id] if isinstance(rule, ListedRule) else rule for rule in rules]


def _skipped_file(file: str, options: ScanOptions) -> bool:
    """Whether `--skip-path` skips a file as a report shows it (relative to its scanned folder, behind that
    folder when several are scanned), or a folder above it: Checkov reads what gateaudit skips."""
    if not options.skip_paths:
        return False
    if len(options.paths) > 1:
        prefixes = [display_prefix(p if p.is_dir() else p.parent, True) for p in options.paths]
        file = next((file.removeprefix(p) for p in prefixes if p and file.startswith(p)), file)
    parts = file.split("/")
    return any(skip_reason("/".join(parts[:end]), options.skip_paths) for end in range(1, len(parts) + 1))


def judge(options: ScanOptions, rules: list, settings: Settings = DEFAULTS) -> Judgement:
    """Load the stack and run the rules; or reuse the judgement of an earlier scan of the same unchanged files.

    The cyclic collector is off meanwhile: the stack's objects all live until the judgement is made, so walking
    them would find nothing to free. Then one collection frees the stack (its blocks and modules refer to each
    other, so only the collector can), before the report is built in the memory it held. It walks only the
    youngest generation, where every object made while the collector was off still is: a full collection
    would walk the caller's whole heap too (350 ms a scan inside a test session). A folder judged one root
    at a time has each root collected as soon as it is judged (gateaudit.modules._load_root)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return _judge(options, rules, settings)
    finally:
        gc.collect(0)
        if enabled:
            gc.enable()


def _judge(options: ScanOptions, rules: list, settings: Settings) -> Judgement:
    from . import scan_cache
    from .cache import open_cache

    if options.account is not None:
        return _judge_drift(options, rules)
    cache = open_cache() if options.use_cache else None
    name = None
    repository = _repository(options)
    if cache is not None:
        roots = [root_of(path, repository) for path in options.paths]  # what links may reach depends on them
        name = scan_cache.key(options.paths, options.display_paths, options.var_files, rules, options.rules_dirs,
                              settings, options.max_file_size, roots, options.skip_paths, options.max_scan_size,
                              options.config_dir)
        kept = scan_cache.load(cache, name)
        if kept is not None:
            return kept
    from .modules import load_with_inputs  # not before: a scan that reuses a judgement loads nothing

    rules = _loaded(rules)

    def load(each_root: _EachRoot | None):
        return load_with_inputs(options.paths, options.var_files, use_cache=options.use_cache,
                                max_file_size=options.max_file_size, repository=repository, skip=options.skip_paths,
                                max_scan_size=options.max_scan_size, config_dir=options.config_dir,
                                each_root=each_root)

    each = _EachRoot(rules, settings)
    try:
        loader = load(each)
        apart = each.outcome(loader) if each.relations.roots else None
    except _JudgeWhole:  # a rule raised on a root: judged whole, its error names what it always has
        apart, each.related = None, "a rule raised"
    if each.related is not None:  # judged apart, the roots would not be judged as together: judge them together
        loader = each = None  # what judging apart kept, and its loader, go before the whole stack is loaded
        gc.collect(1)  # all made since `judge` turned the collector off: the roots' collections moved it no older
        loader = load(None)
    stack = loader.stack
    if apart is not None and each is not None:
        results, rule_errors, secrets = apart, [], each.secrets
        errors = [*loader.errors, *_one_per_line(each.near_misses)]
    else:  # the whole stack at once: a plan, several paths, or roots that relate
        errors = [*loader.errors, *near_miss_errors(stack)]
        results, rule_errors = run_rules(stack, rules, settings)
        results = _fingerprinted(results, stack)
        secrets = masking.secret_literals(stack, results)
    not_scanned = _not_scanned(stack)
    judgement = Judgement(results=results, errors=[*errors, *rule_errors], files=list(stack.files),
                          var_files=list(stack.var_files), comments=dict(stack.comments), spans=dict(stack.spans),
                          sources=stack.sources, not_scanned=not_scanned,
                          secrets=secrets, digests=dict(loader.digests),
                          skipped=tuple({"path": path, "reason": why} for path, why in sorted(stack.skipped.items())))
    if cache is not None and name is not None:
        scan_cache.save(cache, name, loader.inputs, judgement)
    return judgement


def _relations() -> Relations:
    from .relations import Relations  # imported when a stack is loaded, not by a scan that reuses a judgement

    return Relations()


class _JudgeWhole(Exception):
    """Judging root by root cannot give what judging the whole stack gives: start again, whole."""


@dataclass
class _EachRoot:
    """Judges each root module of a scanned folder as the loader hands it over (modules.load_with_inputs), and
    keeps what the whole scan reports of it: plain results, errors and secret strings, never the model.

    Each rule's results are kept apart, in the order judged: merged at the end (`_merged`), they come out in the
    order, and with the duplicates dropped, that judging all roots at once gives. A secret string is taken from
    the root's own blocks; whether another root's would be, `relations` says."""

    rules: list
    settings: Settings
    by_rule: list[list[Result]] = field(default_factory=list)
    near_misses: list[ScanError] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set)
    relations: Relations = field(default_factory=_relations)  # what may make judging apart differ
    related: str | None = None  # how the roots turned out to relate: then the whole stack was judged

    def __call__(self, stack: Stack) -> None:
        by_rule, errors = _each_rule(stack, self.rules, self.settings)
        if errors:  # the error must name the block a whole-stack run is judging when the rule raises
            raise _JudgeWhole
        self.relations.add(stack, by_rule)
        self.near_misses += near_miss_errors(stack)
        if not self.by_rule:
            self.by_rule = [[] for _ in by_rule]
        for kept, found in zip(self.by_rule, by_rule, strict=True):
            kept.extend(found)  # fingerprinted once merged, as the whole stack's (Relations.fingerprinted)
        self.secrets |= masking.secret_literals(stack, [r for found in by_rule for r in found])

    def outcome(self, loader: Loader) -> list[Result] | None:
        """The merged results of every root, fingerprinted; None, with why in `related`, when judging the whole
        stack at once would give others."""
        marked = self.relations.fingerprinted(_merged(self.by_rule))
        if isinstance(marked, str):
            self.related = marked
            return None
        self.related = _over_budget(loader) or self.relations.why(marked)
        return marked if self.related is None else None


def _over_budget(loader: Loader) -> str | None:
    """Whether the scan spent half of any of its budgets, or left a file named by the configuration unread for the
    scan size limit: judged root by root, it spends them, and reads such files (a function's code, a template),
    in another order, and where one runs out may then differ. (Every .tf file is read before any root is judged.)"""
    budget = loader.stack.budget
    spent = (budget.steps / budget.max_steps, budget.value_size / budget.max_value_size,
             budget.instances / budget.max_instances)
    if getattr(budget.files, "refused", False):
        return "a file was not read for the scan size limit"
    return "the scan spent half a budget" if max(spent) > 0.5 else None


def _one_per_line(errors: list[ScanError]) -> list[ScanError]:
    """One error per file and line: a shared module's misspelt type is found once per root that calls it."""
    return list({(e.file, e.line): e for e in errors}.values())


def _judge_drift(options: ScanOptions, rules: list) -> Judgement:
    """The scanned paths (the code) against the account's snapshot, by the drift rules not skipped."""
    from .drift import drift
    from .modules import load_with_inputs

    repository = _repository(options)
    code = load_with_inputs(options.paths, options.var_files, use_cache=options.use_cache,
                            max_file_size=options.max_file_size, repository=repository, skip=options.skip_paths,
                            max_scan_size=options.max_scan_size, config_dir=options.config_dir)
    account = load_with_inputs([options.account], use_cache=False, repository=repository)
    ran = {loaded.rule.id for loaded in rules}
    results = _fingerprinted([r for r in drift(code.stack, account.stack) if r.rule_id in ran], code.stack)
    stacks = (code.stack, account.stack)
    return Judgement(
        results=results, errors=[*code.errors, *account.errors, *near_miss_errors(code.stack)],
        files=[*code.stack.files, *account.stack.files], var_files=list(code.stack.var_files),
        comments=dict(code.stack.comments), spans=dict(code.stack.spans),
        sources=_sources(stacks),
        not_scanned=_not_scanned(code.stack),
        secrets=masking.secret_literals(code.stack, results) | masking.secret_literals(account.stack, results),
        digests={**code.digests, **account.digests},
        skipped=tuple({"path": path, "reason": why} for path, why in sorted(code.stack.skipped.items())))


def _sources(stacks: tuple[Stack, ...]) -> Mapping[str, str]:
    """The texts of every stack's files, by file as shown (a later stack's where two show the same), unread."""
    from .inputs import SourceTexts

    merged = SourceTexts()
    for stack in stacks:
        merged.update(stack.sources)  # a loader's stack (modules.load_with_inputs)
    return merged


def _not_scanned(stack: Stack) -> tuple[dict, ...]:
    return tuple({"module": n.address, "source": n.source, "file": n.location.file, "line": n.location.line,
                  "reason": n.reason} for n in stack.not_scanned)


def _fingerprinted(results: list[Result], stack: Stack | None = None) -> list[Result]:
    """Failed and unknown results with the fingerprint a baseline entry accepts them by."""
    from .baseline import fingerprint

    blocks: dict[str, list[Block]] = {}
    for block in stack.blocks() if stack is not None else ():
        blocks.setdefault(block.address, []).append(block)
    marked = []
    for result in results:
        if result.status in (Status.FAILED, Status.UNKNOWN) and result.fingerprint is None:
            candidates = blocks.get(result.resource, [])
            block = next((b for b in candidates if b.location.file == result.file),
                         candidates[0] if candidates else None)
            result = dataclasses.replace(result, fingerprint=fingerprint(result, block))
        marked.append(result)
    return marked


def _first(*values):
    return next(value for value in values if value is not None)


def _repository(options: ScanOptions) -> Path:
    return options.root.resolve() if options.root else repository_root()


def _config(options: ScanOptions, config_file) -> tuple:
    """The config that decides the gate, and the config files inside the scanned tree that must not."""
    repository = _repository(options)
    scanned = [path for path in options.paths if path.exists()]
    roots = [root_of(path, repository) for path in scanned]
    untrusted = sorted({_shown_in_scan(found, path, len(options.paths) > 1)
                        for path, root in zip(scanned, roots, strict=True)
                        for found in config_file.inside_tree(path, root)})
    if not options.use_config:
        return config_file.Config(), untrusted
    if options.config is not None and not options.config.is_file():
        raise config_file.ConfigError(f"--config {options.config}: no such file")
    path = options.config or (config_file.find(roots[0]) if roots else None)
    return (config_file.load(path) if path else config_file.Config()), untrusted


def _shown_in_scan(file: Path, path: Path, several: bool) -> str:
    """A file as reports show the scanned files: relative to the scanned folder, behind it when several are."""
    folder = path if path.is_dir() else path.parent
    return (display_prefix(folder, several) + os.path.relpath(file, folder.resolve())).replace(os.sep, "/")


def _check_config_names(settings, known: set[str]) -> None:
    """Rule ids the config names must exist: a typo must not quietly do nothing. (Options: settings.from_config.)"""
    where = settings.path or "config"
    for rule_id in [*settings.skip_rules, *settings.severity, *(w.rule_id for w in settings.exemptions if w.rule_id)]:
        if rule_id not in known and not is_checkov_id(rule_id):
            raise ConfigError(f"{where}: {rule_id} is not a rule")
