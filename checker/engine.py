"""Run rules over a loaded stack: collect results and errors, decide the exit code."""

from __future__ import annotations

import difflib
import inspect
import os
import subprocess
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

from .expr import Expr, Literal, ObjectExpr, walk
from .model import Attribute, Block, Stack
from .result import ControlSummary, Report, Result, RuleInfo, ScanError, ScanMetadata, Severity, Status
from .schema import aws_schema

# Resource families the rules judge: a type that is almost one of these but not a real AWS type is an
# error, because the misspelt resource would otherwise be silently out of scope.
JUDGED_FAMILIES = ("aws_api_gateway_", "aws_apigatewayv2_", "aws_lambda_", "aws_iam_",
                   "aws_secretsmanager_", "aws_cloudwatch_log_")


def near_miss_errors(stack: Stack) -> list[ScanError]:
    schema = aws_schema()
    errors = []
    for block in stack.blocks():
        if block.kind not in ("resource", "data") or not block.type.startswith("aws_"):
            continue
        known = schema["resource" if block.kind == "resource" else "data"]
        if block.type in known:
            continue
        candidates = [t for t in known if t.startswith(JUDGED_FAMILIES)]
        squashed = block.type.replace("_", "")
        guess = next((t for t in candidates if t.replace("_", "") == squashed), None)
        if guess is None:
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


def gate(results: Iterable[Result], errors: Iterable[ScanError], fail_on: Severity) -> int:
    """0: nothing failed at or above fail_on; 1: something did; 2: the scan cannot be trusted.

    An unknown result counts as a failure: what cannot be proven secure is not waved through.
    """
    if list(errors):
        return 2
    blocking = (Status.FAILED, Status.UNKNOWN)
    return 1 if any(r.status in blocking and r.severity.rank >= fail_on.rank for r in results) else 0


def scan(paths: list[Path], var_files: list[Path], rules_dirs: list[Path], fail_on: Severity,
         display_paths: list[str]) -> Report:
    from gateaudit.rules import CONTROLS, load_rules

    from .modules import load

    rules = load_rules(rules_dirs)
    stack, errors = load(paths, var_files)
    if not stack.files and not errors:
        shown = ", ".join(display_paths)
        errors.append(ScanError(None, None, f"no Terraform files (*.tf, *.tf.json) found under {shown}"))
    errors.extend(near_miss_errors(stack))
    results, rule_errors = run_rules(stack, rules)
    errors.extend(rule_errors)
    controls = []
    control_ids = list(CONTROLS) + sorted({r.rule.control for r in rules} - set(CONTROLS))
    for control_id in control_ids:
        counts = {status.value: 0 for status in Status}
        for result in results:
            if result.control == control_id:
                counts[result.status.value] += 1
        known = CONTROLS.get(control_id)
        empty = None
        if not any(counts.values()):
            empty = known.nothing_in_scope if known else "nothing in scope"
        controls.append(ControlSummary(control_id, known.title if known else control_id, counts, empty))
    errors = sorted(set(errors), key=ScanError.sort_key)
    not_scanned = tuple({"module": n.address, "source": n.source, "file": n.location.file,
                         "line": n.location.line, "reason": n.reason} for n in stack.not_scanned)
    return Report(
        metadata=_metadata(paths, display_paths, stack.var_files, fail_on),
        rules=tuple(_rule_info(loaded) for loaded in rules),
        results=tuple(results), errors=tuple(errors), not_scanned=not_scanned, controls=tuple(controls),
        exit_code=gate(results, errors, fail_on),
        snippets=_snippets(results, stack.sources, secret_literals(stack, results)),
    )


def _rule_info(loaded) -> RuleInfo:
    rule = loaded.rule
    module = sys.modules.get(loaded.check.__module__)
    help_text = inspect.cleandoc(module.__doc__) if module is not None and module.__doc__ else rule.rationale
    return RuleInfo(id=rule.id, control=rule.control, severity=rule.severity, title=rule.title,
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


def _metadata(paths: list[Path], display_paths: list[str], var_files: list[str],
              fail_on: Severity) -> ScanMetadata:
    from gateaudit import __version__
    from gateaudit.rules import RULESET_VERSION

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
                        generated_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"), paths=tuple(display_paths),
                        var_files=tuple(var_files), fail_on=fail_on, git_commit=commit, git_branch=branch,
                        uri_base=uri_base)


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
