"""`gateaudit.suppressions`: accepting a known risk on purpose. gateaudit's one name for it is a suppression.

A `Suppression` is an accepted risk as written, and its `source` says where: `inline` (a `# gateaudit:ignore`
comment, parsed here), `config` (an exemption: an `[[exemptions]]` entry, `gateaudit.config`), `baseline`
(an entry of a baseline file, `gateaudit.baseline`) or `command-line` (`--allow-unscanned-modules`, a module's
folder skipped by `--skip-path`). The result it matches carries its `result.SuppressionRecord`.

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

from .result import Judgement, Result, ScanError, Status, SuppressionRecord

MARKER = "gateaudit:ignore"
_TOKEN = re.compile(r'\s*(?:(?P<key>[a-z]+)=(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^\s"]*))'
                    r'|(?P<rule>[A-Za-z][A-Za-z0-9_-]*)|(?P<junk>\S+))')
_CHECKOV_ID = re.compile(r"CKV\d*_[A-Z0-9]+_\d+")  # CKV_AWS_59, CKV2_AWS_70, CKV_SECRET_6...


@dataclass(frozen=True)
class Suppression:
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

    def record(self) -> SuppressionRecord:
        return SuppressionRecord(source=self.source, reason=self.reason, file=self.file, line=self.line,
                           until=self.until.isoformat() if self.until else None)


class SuppressionError(Exception):
    def __init__(self, message: str, file: str | None = None, line: int | None = None):
        super().__init__(message)
        self.error = ScanError(file, line, message)


def parse_inline(text: str, file: str, line: int, known_rules: set[str]) -> list[Suppression]:
    """The suppressions in one comment: `# gateaudit:ignore GA101 reason="..." until=2027-03-31 GA405 reason="..."`."""
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
    suppressions = []
    for group in groups:
        rule_id = group["rule"]
        if rule_id not in known_rules and not is_checkov_id(rule_id):
            raise SuppressionError(f"{MARKER} names {rule_id}, which is not a rule", file, line)
        reason = (group.get("reason") or "").strip()
        if not reason:
            raise SuppressionError(f'{MARKER} {rule_id} has no reason: a suppression is applied only with '
                                   f'reason="why this risk is accepted"', file, line)
        suppressions.append(Suppression(rule_id, reason, _date(group.get("until"), file, line), "inline", file, line))
    return suppressions


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


def inline_suppressions(judgement: Judgement,
                        known_rules: set[str]) -> tuple[dict[str, list[Suppression]], list[ScanError]]:
    """Every inline suppression, by file; syntax errors come back as scan errors (exit 2)."""
    found: dict[str, list[Suppression]] = {}
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


def _applies_inline(suppression: Suppression, result: Result, judgement: Judgement) -> bool:
    """A comment suppresses a result when it sits inside the result's block or right above it, or inside or
    above the block judged when the result points elsewhere (the entry that wrote the value)."""
    if suppression.rule_id != result.rule_id or suppression.line is None:
        return False
    return any(_inside_or_above(suppression, file, line, judgement)
               for file, line in ((result.file, result.line), (result.block_file, result.block_line))
               if file == suppression.file and line is not None)


def _inside_or_above(suppression: Suppression, file: str, line: int, judgement: Judgement) -> bool:
    for start, end in judgement.spans.get(file, []):
        if start <= line <= end:
            if start <= suppression.line <= end:
                return True
            comment_lines = {number for number, _ in judgement.comments.get(file, [])}
            above = start - 1
            while above in comment_lines:  # the run of comment lines directly above the header
                if above == suppression.line:
                    return True
                above -= 1
            return False
    return False


def _applies(suppression: Suppression, result: Result) -> bool:
    if suppression.rule_id is not None and suppression.rule_id != result.rule_id:
        return False
    if suppression.source == "baseline":
        folder = result.file.rpartition("/")[0]
        found = (result.resource, result.attribute, result.fingerprint)
        return (suppression.resource, suppression.attribute, suppression.fingerprint) == found and (
            suppression.folder is None or suppression.folder == folder)
    # `*` and `?` are wildcards; `[` is literal: an address names instances in brackets (`x["k"]`, `x[0]`),
    # which fnmatch would read as a character class, and never match the address written out in full.
    pattern = suppression.resource
    return pattern is None or fnmatch.fnmatchcase(result.resource, pattern.replace("[", "[[]"))


def apply(results: Iterable[Result], judgement: Judgement, inline: dict[str, list[Suppression]],
          suppressions: list[Suppression], today: date) -> tuple[list[Result], set[Suppression]]:
    """Results with suppressions applied, and the suppressions that matched something (for stale-baseline reports)."""
    applied: list[Result] = []
    used: set[Suppression] = set()
    for result in results:
        if result.status not in (Status.FAILED, Status.UNKNOWN):
            applied.append(result)
            continue
        files = dict.fromkeys((result.file, result.block_file or result.file))
        candidates = [w for f in files for w in inline.get(f, []) if _applies_inline(w, result, judgement)]
        candidates += [s for s in suppressions if _applies(s, result)]
        used.update(candidates)
        live = [s for s in candidates if s.until is None or today <= s.until]
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
