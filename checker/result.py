"""What a scan produces: results of rules, and errors that make the scan untrustworthy."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum, StrEnum
from operator import attrgetter


class Status(StrEnum):
    PASSED = "passed"
    FAILED = "failed"
    UNKNOWN = "unknown"
    SUPPRESSED = "suppressed"


class Severity(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANKS[self]


_RANKS = {severity: rank for rank, severity in enumerate(Severity)}  # asked once per result and gate: a lookup


class UnknownMode(StrEnum):
    """What an unknown result does to the gate (`--unknown`, `unknown = ...` in the config)."""

    FAIL = "fail"  # blocks, like a failure (the default: what cannot be proven secure is not waved through)
    WARN = "warn"  # does not block; reported as a warning
    PASS = "pass"  # does not block; reported as a note


class ExitCode(IntEnum):
    """The process's exit status, as the gate decides it (`gateaudit.gate`) or the CLI when no scan ran."""

    PASS = 0  # nothing blocks
    FAIL = 1  # a failed (or, under unknown = fail, unknown) result at or above fail-on, or a rejected suppression
    ERROR = 2  # the scan cannot be trusted: a scan error, a broken config, a usage error


@dataclass(frozen=True)
class SuppressionRecord:
    """Why a result is accepted, and where that was written."""

    source: str  # "inline" (a comment), "config" (an exemption), "baseline", or "command-line" (an option)
    reason: str
    file: str | None
    line: int | None
    until: str | None = None  # ISO date after which it no longer applies


@dataclass(frozen=True)
class Result:
    rule_id: str
    control: str
    severity: Severity
    status: Status
    resource: str  # Terraform address, with the instance key where count/for_each give one
    file: str
    line: int
    message: str
    attribute: str | None = None  # the argument path the verdict is about: `access_log_settings`
    suppression: SuppressionRecord | None = None  # set when status is SUPPRESSED
    source: str = "gateaudit"  # the tool that judged: "gateaudit", or "checkov" (`scan --with-checkov`)
    fingerprint: str | None = None  # failed and unknown results: what was found (gateaudit.baseline.fingerprint)
    # The judged block's header, when the result points elsewhere (the map entry that wrote the value): a
    # suppression written at the block still applies.
    block_file: str | None = None
    block_line: int | None = None

    def sort_key(self) -> tuple:
        return (self.file, self.line, self.rule_id, self.resource, self.attribute or "")


@dataclass(frozen=True)
class _Notice:
    file: str | None
    line: int | None
    message: str

    def __str__(self) -> str:
        if self.file is None:
            return self.message
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.message}"

    def sort_key(self) -> tuple:
        return (self.file or "", self.line or 0, self.message)


@dataclass(frozen=True)
class ScanError(_Notice):
    """Input the scan could not read, decode, parse or load: the scan cannot be trusted (exit 2)."""


@dataclass(frozen=True)
class RuleFailure(ScanError):
    """A rule that raised: a bug, never a pass (exit 2). `resource` is the block it was judging, where known;
    `file` and `line` are that block's."""

    rule_id: str = ""
    control: str = ""
    resource: str | None = None

    def not_judged(self) -> str:
        """What the control's summary says of it: `GA101 failed on aws_api_gateway_method.x (main.tf:12)`."""
        if self.resource is None:
            return f"{self.rule_id} failed before it judged any block"
        where = f" ({self.file}:{self.line})" if self.file and self.line else ""
        return f"{self.rule_id} failed on {self.resource}{where}"


@dataclass(frozen=True)
class ScanWarning(_Notice):
    """What a reviewer must know although the verdict stands: a config file inside the scanned tree that was
    not applied, a suppression or exemption that matches nothing."""


@dataclass(frozen=True)
class ControlSummary:
    id: str
    title: str
    counts: dict[str, int]  # status -> number of results
    nothing_in_scope: str | None  # set when no rule of this control judged anything, and none failed
    not_judged: tuple[str, ...] = ()  # rules of this control that raised: RuleFailure.not_judged()


@dataclass(frozen=True)
class RuleInfo:
    """A rule's metadata as reports show it."""

    id: str
    control: str
    severity: Severity
    title: str
    rationale: str
    remediation: str
    mappings: dict[str, tuple[str, ...]]  # framework -> control ids
    help: str  # the rule module's docstring: what it checks, why, failing and passing examples, the fix
    origin: str  # gateaudit.rules.<module>, or the user's rule file


@dataclass(frozen=True)
class ScanMetadata:
    """Evidence of what was scanned, when and how: an auditor reads it beside the verdict."""

    tool: str
    version: str
    ruleset_version: str
    generated_at: str  # ISO 8601 UTC; SOURCE_DATE_EPOCH fixes it for reproducible reports
    paths: tuple[str, ...]
    var_files: tuple[str, ...]  # every variable file applied, in the order applied
    fail_on: Severity
    git_commit: str | None = None
    git_branch: str | None = None
    git_modified: bool | None = None  # the work tree differs from the commit; None: not in git, or git could not tell
    uri_base: str = ""  # prefix that makes a result's file relative to the repository root
    unknown: UnknownMode = UnknownMode.FAIL  # what an unknown result does to the gate
    inline_suppressions: bool = True  # False: `# gateaudit:ignore` comments were not applied
    fail_on_suppressions: bool = False  # True: an inline suppression fails the gate by being there
    fail_on_exemptions: bool = False  # True: a config exemption fails the gate by being applied
    config_file: str | None = None
    baseline_file: str | None = None
    today: str | None = None  # ISO date suppressions' `until` was judged against (the real date, or --today)
    files: tuple[tuple[str, str], ...] = ()  # (path, SHA-256) of every file read, variable files too, by path


@dataclass(frozen=True)
class Gate:
    """What the gate decided and why (`gateaudit.gate.decide`): every report shows these reasons rather than
    working them out again."""

    code: ExitCode
    reasons: tuple[str, ...]  # "1 failed at or above fail-on high": what blocks, then what was let through and why

    @property
    def label(self) -> str:
        return {ExitCode.PASS: "PASS", ExitCode.FAIL: "FAIL"}.get(self.code, "ERROR (scan incomplete, not a pass)")


@dataclass
class Judgement:
    """What the rules found in a loaded stack, and what of the stack a report still needs.

    Nothing here depends on the date, the config's suppressions and severities, or a baseline: those are
    applied afterwards, so a judgement of unchanged files can be kept and reused (`gateaudit.scan_cache`).
    """

    results: list[Result]  # before suppressions
    errors: list[ScanError]  # loading, unknown resource types, rules that raised
    files: list[str]  # as shown in reports
    var_files: list[str]
    comments: dict[str, list[tuple[int, str]]]  # by file: for inline suppressions
    spans: dict[str, list[tuple[int, int]]]  # by file: the lines of each top-level block
    sources: Mapping[str, str]  # by file: for the source lines shown around findings (read again: SourceTexts)
    not_scanned: tuple[dict, ...]  # module calls whose source was not read (registry, git, outside the root)
    secrets: set[str]  # literals that secret findings are about: masked wherever source is shown
    digests: dict[str, str] = field(default_factory=dict)  # by file, variable files too: SHA-256 of what was read
    skipped: tuple[dict, ...] = ()  # folders and files not read on purpose: {"path", "reason"} (.git, --skip-path)
    # The scan cache keeps sources, comments and secrets as places in the files, never as text
    # (`gateaudit.scan_cache`): a field added here that holds the files' text must go the same way.


_STATUS_VALUE = attrgetter("status._value_")  # a result's status as its text, read in C


@dataclass(frozen=True)
class Report:
    """One scan, ready to render: renderers only format it."""

    metadata: ScanMetadata
    rules: tuple[RuleInfo, ...]
    results: tuple[Result, ...]
    errors: tuple[ScanError, ...]
    not_scanned: tuple[dict, ...]
    controls: tuple[ControlSummary, ...]
    gate: Gate
    snippets: dict[str, tuple[tuple[int, str], ...]] = field(default_factory=dict)  # "file:line" -> lines
    stale_baseline: tuple[dict, ...] = ()  # baseline entries that no longer occur: the file can shrink
    warnings: tuple[ScanWarning, ...] = ()
    skipped: tuple[dict, ...] = ()  # folders and files not read on purpose: {"path", "reason"} (.git, --skip-path)

    @property
    def exit_code(self) -> ExitCode:
        return self.gate.code

    def rule(self, rule_id: str) -> RuleInfo | None:
        return next((rule for rule in self.rules if rule.id == rule_id), None)

    def counts(self) -> dict[str, int]:
        counts = {status.value: 0 for status in Status}
        counts.update(Counter(map(_STATUS_VALUE, self.results)))  # counted in C: a monorepo has tens of thousands
        return counts

    def snippet(self, result: Result) -> tuple[tuple[int, str], ...]:
        return self.snippets.get(f"{result.file}:{result.line}", ())
