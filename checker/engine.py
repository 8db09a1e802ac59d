"""Run rules over a loaded stack: collect results and errors, decide the exit code."""

from __future__ import annotations

import dataclasses
import glob
import inspect
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from . import limits, masking
from .config import ConfigError
from .discover import display_prefix, skip_reason
from .git import work_tree
from .model import Block, Stack
from .result import (
    ControlSummary,
    Gate,
    Judgement,
    Report,
    Result,
    RuleInfo,
    ScanError,
    ScanMetadata,
    ScanWarning,
    Severity,
    Status,
    rejected,
)
from .root import repository_root, root_of
from .schema import aws_type_names
from .settings import Settings, from_config
from .suppressions import MARKER, Waiver, inline_waivers, is_checkov_id
from .suppressions import apply as apply_waivers

if TYPE_CHECKING:
    from .checkov import CheckovOptions

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
    and an error naming each rule that raised."""
    from gateaudit.rules import describe, process_exit_refused

    results: list[Result] = []
    errors: list[ScanError] = []
    for loaded in rules:
        try:
            with process_exit_refused():
                for result in loaded.run(stack, settings):
                    if not isinstance(result, Result):
                        raise TypeError(f"yielded {type(result).__name__}, not a Result")
                    results.append(result)
        except BaseException as error:  # a rule that raises, or tries to exit, is a bug, never a pass: exit 2
            errors.append(ScanError(None, None, f"internal error in rule {loaded.rule.id} ({loaded.origin}): "
                                                f"{describe(error)}"))
    unique = {(r.rule_id, r.resource, r.file, r.line, r.attribute, r.status): r for r in results}
    return sorted(unique.values(), key=Result.sort_key), errors


def gate(results: Iterable[Result], errors: Iterable[ScanError], fail_on: Severity, unknown: str = "fail",
         fail_on_suppressions: bool = False, fail_on_exemptions: bool = False) -> Gate:
    """0: nothing failed at or above fail_on; 1: something did; 2: the scan cannot be trusted; and why.

    An unknown result counts as a failure unless `unknown` says otherwise: what cannot be proven secure
    is not waved through by default. With fail_on_suppressions, an inline suppression fails the gate by
    being there, so a change cannot silence the gate that judges it; fail_on_exemptions does the same for
    the config's exemptions. The reasons name what blocks, then what was let through and why (below
    fail-on, unknown = warn), so "PASS" beside a failure is never a puzzle.
    """
    errors = list(errors)
    if errors:
        return Gate(2, (f"{_plural(len(errors), 'scan error')}: part of the configuration was not judged",))
    results = list(results)
    bar = f"fail-on {fail_on.value}"
    above = [r.status for r in results if r.severity.rank >= fail_on.rank]
    below = [r.status for r in results if r.severity.rank < fail_on.rank]
    blocking = []
    if failed := above.count(Status.FAILED):
        blocking.append(f"{failed} failed at or above {bar}")
    if unknown == "fail" and (undecided := above.count(Status.UNKNOWN)):
        blocking.append(f"{undecided} unknown at or above {bar} (unknown = fail)")
    for source, noun, setting in (("inline", "inline suppression", "fail-on-suppressions"),
                                  ("config", "config exemption", "fail-on-exemptions")):
        present = sum(1 for r in results if r.suppression and r.suppression.source == source
                      and rejected(r.suppression, fail_on_suppressions, fail_on_exemptions))
        if present:
            blocking.append(f"{_plural(present, noun)} present ({setting})")
    let_through = []
    if failed := below.count(Status.FAILED):
        let_through.append(f"{failed} failed below {bar}")
    if unknown == "fail" and (undecided := below.count(Status.UNKNOWN)):
        let_through.append(f"{undecided} unknown below {bar}")
    if unknown != "fail" and (undecided := above.count(Status.UNKNOWN) + below.count(Status.UNKNOWN)):
        let_through.append(f"{undecided} unknown not blocking (unknown = {unknown})")
    if blocking:
        return Gate(1, (*blocking, *let_through))
    judged = "failed or unknown" if unknown == "fail" else "failed"
    return Gate(0, tuple(let_through) or (f"nothing {judged} at or above {bar}",))


def _plural(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


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
    fail_on_exemptions: bool | None = None  # an applied config exemption fails the scan by being there
    today: date | None = None  # the date suppressions expire against (--today); None: the real date
    strict_config: bool = False  # a config file inside the scanned tree is an error, not a warning
    allow_unscanned_modules: bool = False  # module calls not read are suppressed (shown), not unknown
    skip_paths: tuple[str, ...] = ()  # --skip-path: globs of folders and files not to read (discover.skip_reason)


class SetupError(Exception):
    """A broken config, baseline or rules folder: the scan cannot be trusted (exit 2)."""


def scan(options: ScanOptions) -> Report:
    from gateaudit.rules import CONTROLS, Control, RuleLoadError, load_rules

    from . import config as config_file
    from .baseline import BaselineError
    from .baseline import load as load_baseline
    try:
        settings, untrusted_configs = _config(options, config_file)
        every_rule = load_rules(options.rules_dirs)
        rules = [r for r in every_rule if r.rule.id not in settings.skip_rules]
        _check_config_names(settings, known := {loaded.rule.id for loaded in every_rule})
        rule_settings = from_config(settings, every_rule)
        waivers = list(settings.exemptions)
        if options.baseline is not None:
            waivers += load_baseline(options.baseline)
        if options.allow_unscanned_modules:
            from gateaudit.rules._unscanned import ALLOWED, RULE_IDS

            waivers += [Waiver(rule_id, ALLOWED, None, "command-line", None, None) for rule_id in RULE_IDS]
    except (config_file.ConfigError, RuleLoadError, BaselineError) as error:
        raise SetupError(str(error)) from None
    # `known`: a skipped rule is still a rule a comment may name
    fail_on = options.fail_on or settings.fail_on or Severity.LOW
    unknown_mode = options.unknown or settings.unknown or "fail"
    use_inline = _first(options.inline_suppressions, settings.inline_suppressions, True)
    fail_on_suppressions = _first(options.fail_on_suppressions, settings.fail_on_suppressions, False)
    fail_on_exemptions = _first(options.fail_on_exemptions, settings.fail_on_exemptions, False)

    judgement = judge(options, rules, rule_settings)
    results, errors = list(judgement.results), list(judgement.errors)
    waivers += _skipped_modules(judgement)
    warnings: list[ScanWarning] = [ScanWarning(None, None, text) for text in settings.deprecations]
    for shown in untrusted_configs:
        found = (ScanError if options.strict_config else ScanWarning)(
            shown, None, "a config file inside the scanned tree is not applied: only the config at the "
                         f"repository root ({_repository(options)}) and above, or --config, decide the gate")
        (errors if options.strict_config else warnings).append(found)
    if not judgement.files and not errors:
        shown = ", ".join(options.display_paths)
        errors.append(ScanError(None, None, f"no Terraform files (*.tf, *.tf.json) found under {shown}"))
    controls, peer_rules = dict(CONTROLS), []
    if options.checkov is not None:
        from . import checkov

        peer = checkov.run(options.paths, options.var_files, options.checkov, skip_comments=use_inline)
        skipped = set(settings.skip_rules)  # Checkov's checks too, like its own --skip-check
        peer_results = _fingerprinted([r for r in peer.results if r.rule_id not in skipped
                                       and not _skipped_file(r.file, options)])
        results = sorted([*results, *peer_results], key=Result.sort_key)
        errors.extend(peer.errors)
        peer_rules = [info for info in peer.rules if info.id not in skipped]
        known = known | {info.id for info in peer.rules}  # `# gateaudit:ignore CKV_AWS_59 reason=...` works too
        controls[checkov.OTHER] = Control(checkov.OTHER, "Checkov checks outside gateaudit's four controls",
                                          "no Checkov check outside the four controls judged anything")
    results = [dataclasses.replace(r, severity=settings.severity[r.rule_id]) if r.rule_id in settings.severity
               else r for r in results]
    # Masked before waivers: a baseline written from this report's addresses must match them again.
    results = masking.mask_results(results, judgement.secrets)
    inline, inline_errors = inline_waivers(judgement, known) if use_inline else ({}, [])
    errors.extend(inline_errors)
    # Expiry is judged against the real date, or the one the command line gives: SOURCE_DATE_EPOCH makes
    # reports reproducible, and must not let a build's environment bring an expired suppression back to life.
    today = options.today or datetime.now(UTC).date()
    metadata = _metadata(options, judgement, fail_on, unknown_mode, use_inline, fail_on_suppressions,
                         fail_on_exemptions, settings.path, today)
    results, used = apply_waivers(results, judgement, inline, waivers, today)
    stale = tuple({"rule_id": w.rule_id, "resource": w.resource, "attribute": w.attribute, "file": w.file,
                   "line": w.line} for w in waivers if w.source == "baseline" and w not in used)
    checkov_ran = options.checkov is not None
    warnings += _unused_waivers([w for found in inline.values() for w in found], used, checkov_ran)
    warnings += _unused_waivers(settings.exemptions, used, checkov_ran)
    errors = sorted(set(errors), key=ScanError.sort_key)
    return masking.mask_report(Report(
        metadata=metadata,
        rules=(*(_rule_info(loaded, settings.severity) for loaded in rules), *peer_rules),
        results=tuple(results), errors=tuple(errors), not_scanned=judgement.not_scanned,
        controls=tuple(_controls(results, rules, controls)),
        gate=gate(results, errors, fail_on, unknown_mode, fail_on_suppressions, fail_on_exemptions),
        stale_baseline=stale, skipped=judgement.skipped,
        warnings=tuple(sorted(set(warnings), key=ScanWarning.sort_key)),
    ), judgement)


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


def _skipped_modules(judgement: Judgement) -> list[Waiver]:
    """A module call whose folder --skip-path names was left unread on purpose, on the command line: its gap
    (GA100...GA400) is shown as suppressed, like --allow-unscanned-modules for that call alone."""
    from gateaudit.rules._unscanned import RULE_IDS

    from .modules import SKIPPED_BY

    return [Waiver(rule_id, f"its folder is {item['reason']}: not read, on purpose", None, "command-line", None, None,
                   resource=glob.escape(item["module"]))
            for item in judgement.not_scanned if item["reason"].startswith(SKIPPED_BY) for rule_id in RULE_IDS]


def _unused_waivers(waivers: list[Waiver], used: set[Waiver], checkov_ran: bool) -> list[ScanWarning]:
    """A suppression or exemption that accepts nothing: once its finding is fixed it would silently accept
    the next one, so it is named for removal. One naming a Checkov check is judged only when Checkov ran."""
    entries: dict[tuple, list[Waiver]] = {}
    for waiver in waivers:
        if waiver.rule_id and is_checkov_id(waiver.rule_id) and not checkov_ran:
            continue
        entries.setdefault((waiver.source, waiver.file, waiver.line, waiver.entry), []).append(waiver)
    warnings = []
    for (source, file, line, entry), group in entries.items():
        if any(waiver in used for waiver in group):
            continue
        if source == "config":
            rules = [w.rule_id for w in group if w.rule_id]
            scope = f", rules {', '.join(rules)}" if rules else ""
            warnings.append(ScanWarning(None, None, f'{file}: exemption #{entry} (resources = "{group[0].resource}"'
                                                    f"{scope}) matches no failed or unknown result: remove it"))
        else:
            for waiver in group:
                warnings.append(ScanWarning(file, line, f"{MARKER} {waiver.rule_id} suppresses no failed or "
                                                        "unknown result: remove it"))
    return warnings


def judge(options: ScanOptions, rules: list, settings: Settings = DEFAULTS) -> Judgement:
    """Load the stack and run the rules; or reuse the judgement of an earlier scan of the same unchanged files."""
    from . import scan_cache
    from .cache import open_cache
    from .modules import load_with_inputs

    cache = open_cache() if options.use_cache else None
    name = None
    repository = _repository(options)
    if cache is not None:
        roots = [root_of(path, repository) for path in options.paths]  # what links may reach depends on them
        name = scan_cache.key(options.paths, options.display_paths, options.var_files, rules, options.rules_dirs,
                              settings, options.max_file_size, roots, options.skip_paths, options.max_scan_size)
        kept = scan_cache.load(cache, name)
        if kept is not None:
            return kept
    loader = load_with_inputs(options.paths, options.var_files, use_cache=options.use_cache,
                              max_file_size=options.max_file_size, repository=repository, skip=options.skip_paths,
                              max_scan_size=options.max_scan_size)
    stack = loader.stack
    errors = [*loader.errors, *near_miss_errors(stack)]
    results, rule_errors = run_rules(stack, rules, settings)
    results = _fingerprinted(results, stack)
    not_scanned = tuple({"module": n.address, "source": n.source, "file": n.location.file,
                         "line": n.location.line, "reason": n.reason} for n in stack.not_scanned)
    judgement = Judgement(results=results, errors=[*errors, *rule_errors], files=list(stack.files),
                          var_files=list(stack.var_files), comments=dict(stack.comments), spans=dict(stack.spans),
                          sources=dict(stack.sources), not_scanned=not_scanned,
                          secrets=masking.secret_literals(stack, results), digests=dict(loader.digests),
                          skipped=tuple({"path": path, "reason": why} for path, why in sorted(stack.skipped.items())))
    if cache is not None and name is not None:
        scan_cache.save(cache, name, loader.inputs, judgement)
    return judgement


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


def _metadata(options: ScanOptions, judgement: Judgement, fail_on: Severity, unknown: str, inline: bool,
              fail_on_suppressions: bool, fail_on_exemptions: bool, config_path: str | None,
              today: date) -> ScanMetadata:
    from gateaudit import __version__
    from gateaudit.rules import RULESET_VERSION

    paths = options.paths
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit() else datetime.now(UTC)
    first = paths[0] if paths else Path(".")
    base = first if first.is_dir() else first.parent
    if len(paths) > 1:
        base = Path(".")
    tree = work_tree(base if base.exists() else Path("."), paths)
    uri_base = ""
    if base.exists():
        relative = os.path.relpath(base.resolve(), tree.top if tree else Path.cwd().resolve()).replace(os.sep, "/")
        uri_base = "" if relative == "." else relative + "/"
    return ScanMetadata(tool="gateaudit", version=__version__, ruleset_version=RULESET_VERSION,
                        generated_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"), paths=tuple(options.display_paths),
                        var_files=tuple(judgement.var_files), fail_on=fail_on, git_commit=tree.commit if tree else None,
                        git_branch=tree.branch if tree else None, git_modified=tree.modified if tree else None,
                        uri_base=uri_base, unknown=unknown, inline_suppressions=inline,
                        fail_on_suppressions=fail_on_suppressions, fail_on_exemptions=fail_on_exemptions,
                        config_file=_shown(config_path), baseline_file=_shown(options.baseline),
                        today=today.isoformat(), files=tuple(sorted(judgement.digests.items())))


def _shown(path: str | Path | None) -> str | None:
    if path is None:
        return None
    relative = os.path.relpath(path)
    return (str(path) if relative.startswith("..") else relative).replace(os.sep, "/")
