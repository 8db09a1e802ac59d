"""Run rules over a loaded stack: collect results and errors, decide the exit code."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

from .model import Stack
from .result import ControlSummary, Report, Result, ScanError, Severity, Status
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
    from gateaudit import __version__
    from gateaudit.rules import CONTROLS, RULESET_VERSION, load_rules

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
        tool="gateaudit", version=__version__, ruleset_version=RULESET_VERSION,
        paths=tuple(display_paths), results=tuple(results), errors=tuple(errors), not_scanned=not_scanned,
        controls=tuple(controls), remediation={r.rule.id: r.rule.remediation for r in rules},
        titles={r.rule.id: r.rule.title for r in rules}, fail_on=fail_on,
        exit_code=gate(results, errors, fail_on),
    )
