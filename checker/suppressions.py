"""Accepting a known risk on purpose: inline comments, config exemptions and baselines.

Every suppression carries a reason and says where it was written; a suppressed result stays in every
report as `suppressed`, with that reason. A suppression past its `until` date is not applied: the result
fails again, with a note that the suppression expired.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from .result import Judgement, Result, ScanError, Status, Suppression

MARKER = "gateaudit:ignore"
_TOKEN = re.compile(r'\s*(?:(?P<key>[a-z]+)=(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^\s"]*))'
                    r'|(?P<rule>[A-Za-z][A-Za-z0-9_-]*)|(?P<junk>\S+))')
_CHECKOV_ID = re.compile(r"CKV\d*_[A-Z0-9]+_\d+")  # CKV_AWS_59, CKV2_AWS_70, CKV_SECRET_6...


@dataclass(frozen=True)
class Waiver:
    """One accepted risk: which rule, where it applies, why, until when, and where it was written."""

    rule_id: str | None  # None: every rule (config exemptions may name none)
    reason: str
    until: date | None
    source: str  # "inline", "config", "baseline" or "command-line" (--allow-unscanned-modules)
    file: str | None
    line: int | None
    resource: str | None = None  # an fnmatch pattern (config) or an exact address (baseline)
    attribute: str | None = None  # baseline entries match the attribute path too
    folder: str | None = None  # ... and the folder of the file (two roots may share an address)
    entry: int | None = None  # config exemptions: the exemption's number in the file ([[exemptions]] #n)
    fingerprint: str | None = None  # baseline entries: what was found (gateaudit.baseline.fingerprint)

    def record(self) -> Suppression:
        return Suppression(source=self.source, reason=self.reason, file=self.file, line=self.line,
                           until=self.until.isoformat() if self.until else None)


class SuppressionError(Exception):
    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.error = ScanError(file, line, message)


def parse_inline(text: str, file: str, line: int, known_rules: set[str]) -> list[Waiver]:
    """The waivers in one comment: `# gateaudit:ignore GA101 reason="..." until=2027-03-31 GA405 reason="..."`."""
    body = text.lstrip("#/* \t").removesuffix("*/").strip()
    if not body.startswith(MARKER):
        return []
    rest = body[len(MARKER):]
    groups: list[dict] = []
    for match in _TOKEN.finditer(rest):
        if match.group("junk"):
            raise SuppressionError(f"suppression syntax: unexpected {match.group('junk')!r}", file, line)
        if match.group("rule"):
            groups.append({"rule": match.group("rule")})
            continue
        key = match.group("key")
        if key is None:
            continue
        if not groups:
            raise SuppressionError(f"suppression syntax: {key}= comes before any rule id", file, line)
        if key not in ("reason", "until"):
            raise SuppressionError(f'suppression syntax: unknown key "{key}" (use reason="..." and until=YYYY-MM-DD)',
                                   file, line)
        value = match.group("quoted") if match.group("quoted") is not None else match.group("bare")
        groups[-1][key] = value.replace('\\"', '"')
    if not groups:
        raise SuppressionError(f"{MARKER} names no rule", file, line)
    waivers = []
    for group in groups:
        rule_id = group["rule"]
        if rule_id not in known_rules and not is_checkov_id(rule_id):
            raise SuppressionError(f"{MARKER} names {rule_id}, which is not a rule", file, line)
        reason = (group.get("reason") or "").strip()
        if not reason:
            raise SuppressionError(f'{MARKER} {rule_id} has no reason: a suppression is applied only with '
                                   f'reason="why this risk is accepted"', file, line)
        waivers.append(Waiver(rule_id, reason, _date(group.get("until"), file, line), "inline", file, line))
    return waivers


def is_checkov_id(rule_id: str) -> bool:
    """A Checkov check's id. Configs and comments may name one whether or not the scan runs Checkov, so one
    config serves scans with and without --with-checkov."""
    return _CHECKOV_ID.fullmatch(rule_id) is not None


def _date(text: str | None, file: str | None, line: int | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SuppressionError(f"until={text!r} is not a date (YYYY-MM-DD)", file, line) from None


def inline_waivers(judgement: Judgement, known_rules: set[str]) -> tuple[dict[str, list[Waiver]], list[ScanError]]:
    """Every inline waiver, by file; syntax errors come back as scan errors (exit 2)."""
    found: dict[str, list[Waiver]] = {}
    errors: list[ScanError] = []
    for file, comments in judgement.comments.items():
        for line, text in comments:
            if MARKER not in text:
                continue
            try:
                found.setdefault(file, []).extend(parse_inline(text, file, line, known_rules))
            except SuppressionError as error:
                errors.append(error.error)
    return found, errors


def _applies_inline(waiver: Waiver, result: Result, judgement: Judgement) -> bool:
    """A comment suppresses a result when it sits inside the result's block or right above it."""
    if waiver.rule_id != result.rule_id or waiver.file != result.file or waiver.line is None:
        return False
    for start, end in judgement.spans.get(result.file, []):
        if start <= result.line <= end:
            if start <= waiver.line <= end:
                return True
            comment_lines = {line for line, _ in judgement.comments.get(result.file, [])}
            above = start - 1
            while above in comment_lines:  # the run of comment lines directly above the header
                if above == waiver.line:
                    return True
                above -= 1
            return False
    return False


def _applies(waiver: Waiver, result: Result) -> bool:
    if waiver.rule_id is not None and waiver.rule_id != result.rule_id:
        return False
    if waiver.source == "baseline":
        folder = result.file.rpartition("/")[0]
        found = (result.resource, result.attribute, result.fingerprint)
        return (waiver.resource, waiver.attribute, waiver.fingerprint) == found and (
            waiver.folder is None or waiver.folder == folder)
    return waiver.resource is None or fnmatch.fnmatchcase(result.resource, waiver.resource)


def apply(results: Iterable[Result], judgement: Judgement, inline: dict[str, list[Waiver]], waivers: list[Waiver],
          today: date) -> tuple[list[Result], set[Waiver]]:
    """Results with waivers applied, and the waivers that matched something (for stale-baseline reports)."""
    applied: list[Result] = []
    used: set[Waiver] = set()
    for result in results:
        if result.status not in (Status.FAILED, Status.UNKNOWN):
            applied.append(result)
            continue
        candidates = [w for w in inline.get(result.file, []) if _applies_inline(w, result, judgement)]
        candidates += [w for w in waivers if _applies(w, result)]
        used.update(candidates)
        live = [w for w in candidates if w.until is None or today <= w.until]
        if live:
            applied.append(dataclasses.replace(result, status=Status.SUPPRESSED, suppression=live[0].record()))
            continue
        if candidates:
            expired = candidates[0]
            where = f" at {expired.file}:{expired.line}" if expired.file and expired.line else ""
            note = f" (the {expired.source} suppression{where} expired on {expired.until.isoformat()})"
            applied.append(dataclasses.replace(result, message=result.message + note))
            continue
        applied.append(result)
    return applied, used
