"""Secrets stay out of reports: the one place that masks them, for every format.

A report names a hardcoded secret; it must not become one more copy of it. What is masked is what the secret
rules found, and everything that value was made of:
- `secret_literals(stack, results)`: for each failed or unknown secret-not-hardcoded result, every string
  literal written where its argument's value comes from (the argument, locals, variables with their defaults
  and tfvars values, module arguments and outputs, resource arguments, for expressions, function arguments,
  `for_each` and dynamic block collections: `gateaudit.provenance.written_by`), the literal parts of
  templates, and the strings the argument evaluates to.
- `mask_report(report, judgement)`: the report with each of them masked wherever it could show: the source
  lines around each finding (`snippets`), messages, resource addresses (a `for_each` key), suppression
  reasons, errors, modules not scanned, stale baseline entries. Renderers escape afterwards, so no escaping
  can turn a secret into a spelling the mask does not know. A secret Checkov reports (`--with-checkov`) was
  not traced to its literals: every string of its block is masked in the source lines instead.

In source lines a string is masked as a whole, as the parser reads it (`gateaudit.parse.string_spans`): a
quoted string whose decoded text holds a secret (`"p\\u0061ss"` is `pass`), each line of a heredoc, a
`.tf.json` string. Elsewhere (comments, messages) the secret is replaced where it occurs, as written, as JSON
and Python escape it, and line by line for a multi-line value. A value shorter than `SHORT` characters is
masked where it is a whole string, never inside other words. The credentials of a URL (`https://user:pw@`,
a token as the user) are masked in every text field too: a module source carries them, reported or not.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .inputs import SourceChanged
from .result import Judgement, Report, Result, ScanError, ScanWarning, Status

if TYPE_CHECKING:  # what judging needs (`secret_literals`): a report of a reused judgement imports no model
    from .model import Attribute, Block, Stack
    from .parse import StringSpan

MASK = "****"
SHORT = 6  # a secret shorter than this is masked where it is a whole string only: "ab" is inside many words
SECRET_CONTROL = "secret-not-hardcoded"
MAX_DECODED = 1_000_000  # characters of a JSON string looked into for the secrets it holds
SNIPPET_BEFORE, SNIPPET_AFTER = 2, 8
CHANGED = ("changed after gateaudit read it: its lines are not shown (the results are about the file as it was "
           "read; scan again)")


def secret_literals(stack: Stack, results: Iterable[Result]) -> set[str]:
    """The strings a failed or unknown secret-not-hardcoded result is about, and everything they flow from."""
    from gateaudit.rules._unscanned import RULE_IDS as COVERAGE  # about a module not read, not about a value

    flagged: dict[str, set[str | None]] = {}
    for result in results:
        # A result placed away from its block without naming an argument is about something else than the
        # block's arguments (GA209: the authorizer's code, whose literals the code analysis marks sensitive).
        elsewhere = result.attribute is None and result.block_file is not None
        if result.control == SECRET_CONTROL and result.status in (Status.FAILED, Status.UNKNOWN) \
                and result.rule_id not in COVERAGE and not elsewhere:
            flagged.setdefault(result.resource, set()).add(result.attribute)
    found: set[str] = {text for value in stack.sensitive_values for text in _strings(value)}
    if not flagged:
        return found
    # Provenance runs the evaluator: imported only when a secret was found.
    from .expr import Literal, Template
    from .provenance import written_by

    seen: set = set()
    for block in stack.blocks():
        if block.address not in flagged:
            continue
        for path in flagged[block.address]:
            for attribute in _sinks(block, path):
                found.update(_strings(attribute.value))
                for expr in (written.expr for written in written_by(attribute, seen)):
                    if isinstance(expr, Literal) and isinstance(expr.value, str):
                        found.add(expr.value)
                    elif isinstance(expr, Template):
                        found.update(part for part in expr.parts if isinstance(part, str))
    found.discard("")
    return found


def _sinks(block: Block, path: str | None) -> list[Attribute]:
    """The arguments a result names (`environment.variables` in every `environment` block), or every argument of
    the block when it names none; for a variable, also the tfvars value and the module call's argument."""
    from .model import every_attribute

    # No path, or one the block does not have (a user rule's): the whole block, not nothing.
    attributes = (block.attributes_at(path) if path is not None else []) or every_attribute(block)
    if block.kind == "variable":
        module = block.module
        given = module.call.get(block.name) if module.call is not None else None
        if given is not None:
            attributes.append(given)
        if module.call is None and block.name in module.variable_values:
            from .hcl import HclAttribute  # only for a secret-like variable set in tfvars: see secret_literals

            attributes.append(HclAttribute(module.variable_values[block.name].attribute, block, block.name))
    return attributes


def _strings(value: Any) -> list[str]:
    """The strings in a value; a JSON document's own strings too (`secret_string = jsonencode({...})` as a
    plan gives it), so each is masked where the source writes it."""
    from .model import strings_in

    found = []
    for text in strings_in(value):
        found.append(text)
        if text[:1] in ("{", "[") and len(text) <= MAX_DECODED:
            with contextlib.suppress(ValueError, RecursionError):  # not JSON after all: the text alone
                found.extend(strings_in(json.loads(text)))
    return found


# ------------------------------------------------------------------------------------------ free text


@dataclass(frozen=True)
class Masker:
    """The spellings of a set of secrets to replace in free text, longest first."""

    secrets: frozenset[str]
    spellings: tuple[str, ...]  # replaced wherever they occur
    whole: tuple[str, ...]  # short secrets, replaced only as a quoted string: "ab", 'ab'

    @classmethod
    def of(cls, secrets: Iterable[str]) -> Masker:
        secrets = frozenset(s for s in secrets if s)
        spellings: set[str] = set()
        whole: set[str] = set()
        for secret in secrets:
            for piece in (secret, *_lines(secret)):
                forms = {piece, json.dumps(piece)[1:-1], json.dumps(piece, ensure_ascii=False)[1:-1], repr(piece)[1:-1]}
                if len(piece) >= SHORT:
                    spellings |= forms
                else:
                    whole |= {f"{quote}{form}{quote}" for form in forms for quote in ('"', "'")}
        by_length = sorted(spellings, key=lambda s: (-len(s), s))
        return cls(secrets, tuple(by_length), tuple(sorted(whole, key=lambda s: (-len(s), s))))

    def text(self, text: str) -> str:
        for spelling in self.spellings:
            if spelling in text:
                text = text.replace(spelling, MASK)
        for quoted in self.whole:
            if quoted in text:
                text = text.replace(quoted, f"{quoted[0]}{MASK}{quoted[0]}")
        return _USERINFO.sub(_userinfo, text) if "://" in text else text

    def mentioned(self, source: str) -> bool:
        """Might a file's text hold a secret: as written, a line of it (a heredoc indents each), or behind an
        escape that decoding would undo?"""
        return bool(self.secrets) and ("\\" in source or "$${" in source or "%%{" in source
                                       or any(secret in source for secret in self.secrets)
                                       or any(spelling in source for spelling in self.spellings))

    def holds(self, text: str) -> bool:
        """Does a string's decoded text hold a secret: be one, or contain one that is not short?"""
        return text in self.secrets or any(spelling in text for spelling in self.spellings)


# The user information of a URL (`https://user:password@host`): a module source, say, carries credentials
# there whether or not a rule reports it.
_USERINFO = re.compile(r"(?<=://)[^\s/?#@'\"<>]+@")


def _userinfo(match: re.Match[str]) -> str:
    """`user:password@` and `<token>@` are credentials; a bare short user name (`git@`) is not."""
    userinfo = match.group()
    return MASK + "@" if ":" in userinfo or len(userinfo) > 16 else userinfo


def _lines(secret: str) -> list[str]:
    """The lines of a multi-line secret worth masking on their own: a PEM key must not leak line by line."""
    if "\n" not in secret and "\r" not in secret:
        return []
    return [line.strip() for line in secret.splitlines() if len(line.strip()) >= SHORT]


def mask_results(results: Iterable[Result], secrets: Iterable[str]) -> list[Result]:
    """Results with no secret in their message, address or suppression reason."""
    masker = Masker.of(secrets)
    return [_result(masker, result) for result in results]


def _result(masker: Masker, result: Result) -> Result:
    """The result with its texts masked; the same object when nothing in it changes (most of them)."""
    suppression = result.suppression
    if suppression is not None and masker.text(suppression.reason) != suppression.reason:
        suppression = dataclasses.replace(suppression, reason=masker.text(suppression.reason))
    message, resource = masker.text(result.message), masker.text(result.resource)
    if (message, resource, suppression) == (result.message, result.resource, result.suppression):
        return result
    return dataclasses.replace(result, message=message, resource=resource, suppression=suppression)


def mask_report(report: Report, judgement: Judgement) -> Report:
    """The report with its source lines, and every text field that can carry source text, masked."""
    masker = Masker.of(judgement.secrets)
    results = tuple(_result(masker, r) for r in report.results)
    changed: set[str] = set()
    shown = snippets(results, judgement.sources, masker, judgement.spans, changed)
    warnings = [*report.warnings, *(ScanWarning(file, None, CHANGED) for file in changed)]
    return dataclasses.replace(
        report, results=results, snippets=shown,
        errors=tuple(ScanError(e.file, e.line, masker.text(e.message)) for e in report.errors),
        warnings=tuple(ScanWarning(w.file, w.line, masker.text(w.message))
                       for w in sorted(warnings, key=ScanWarning.sort_key)),
        not_scanned=tuple(_texts(masker, item) for item in report.not_scanned),
        stale_baseline=tuple(_texts(masker, entry) for entry in report.stale_baseline))


def _texts(masker: Masker, item: dict) -> dict:
    return {key: masker.text(value) if isinstance(value, str) and key != "file" else value
            for key, value in item.items()}


# --------------------------------------------------------------------------------------- source lines


def snippets(results: Iterable[Result], sources: Mapping[str, str], masker: Masker,
             blocks: dict[str, list[tuple[int, int]]],
             changed: set[str] | None = None) -> dict[str, tuple[tuple[int, str], ...]]:
    """The source lines around each failed or unknown result, for reports a reviewer reads, secrets masked.
    `blocks` holds the first and last line of each top-level block, by file. A file whose text is read again
    (`inputs.SourceTexts`) and no longer holds what was scanned shows no lines: it is added to `changed`."""
    results = list(results)
    found: dict[str, tuple[tuple[int, str], ...]] = {}
    lines_of: dict[str, list[str] | None] = {}
    untraced = _untraced(results, blocks)
    for result in results:
        key = f"{result.file}:{result.line}"
        if result.status not in (Status.FAILED, Status.UNKNOWN) or key in found or result.file not in sources:
            continue
        if result.file not in lines_of:
            try:
                source = sources[result.file]
            except SourceChanged:
                lines_of[result.file] = None
                if changed is not None:
                    changed.add(result.file)
                continue
            text = masked_source(result.file, source, masker, untraced.get(result.file, ()))
            lines_of[result.file] = text.splitlines()
        lines = lines_of[result.file]
        if lines is None:
            continue
        first = max(1, result.line - SNIPPET_BEFORE)
        last = min(len(lines), result.line + SNIPPET_AFTER)
        found[key] = tuple((number, lines[number - 1]) for number in range(first, last + 1))
    return found


def _untraced(results: list[Result], blocks: dict[str, list[tuple[int, int]]]) -> dict[str, list[tuple[int, int]]]:
    """By file, the lines of each block another tool (Checkov) says holds a secret: gateaudit did not trace
    that secret to its literals, so every string of the block is masked."""
    found: dict[str, list[tuple[int, int]]] = {}
    for result in results:
        if result.control == SECRET_CONTROL and result.source != "gateaudit" \
                and result.status in (Status.FAILED, Status.UNKNOWN, Status.SUPPRESSED):
            found.setdefault(result.file, []).extend(  # its labels stay shown, unless all is on one line
                (first + (first < last), last) for first, last in blocks.get(result.file, [])
                if first <= result.line <= last)
    return found


def masked_source(name: str, text: str, masker: Masker, untraced: Iterable[tuple[int, int]] = ()) -> str:
    """A file's text with every string that holds a secret masked as a whole, and every string inside the
    `untraced` line ranges, line for line: the masked text has as many lines as the source, each where it was."""
    untraced = list(untraced)
    if untraced or masker.mentioned(text):
        text = _mask_strings(name, text, masker, untraced)
    if not masker.secrets and "://" not in text:
        return text
    return "\n".join(masker.text(line) for line in text.split("\n"))  # comments, URLs, what no string holds


def _mask_strings(name: str, text: str, masker: Masker, untraced: list[tuple[int, int]]) -> str:
    from .parse import ParseError, string_spans  # with the grammar: only for a file whose strings are masked

    try:
        spans = string_spans(name, text)
    except (ParseError, RecursionError):  # the scan parsed it, so this should not happen: spellings only, then
        return text
    pieces, position = [], 0
    line, counted = 1, 0  # the line of `counted`, counted forward once: spans come in order
    for span in spans:
        if span.start < position:
            continue  # a string inside a masked string is masked with it
        if untraced:
            line, counted = line + text.count("\n", counted, span.start), span.start
        if not any(map(masker.holds, span.texts)) and not any(first <= line <= last for first, last in untraced):
            continue
        pieces += [text[position:span.start], _masked(text[span.start:span.end], span)]
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)


def _masked(written: str, span: StringSpan) -> str:
    """A string's text masked, keeping its lines: `"****"`; a heredoc keeps its markers and masks each line."""
    lines = written.split("\n")
    if not span.heredoc:
        return '"' + MASK + '"' + "\n" * (len(lines) - 1)
    closing = max(index for index, line in enumerate(lines) if line.strip())
    body = [line[: len(line) - len(line.lstrip())] + MASK if line.strip() else line for line in lines[1:closing]]
    return "\n".join([lines[0], *body, *lines[closing:]])
