"""Checkov's findings in gateaudit's report: run it as a subprocess, map its checks onto our controls.

Checkov lives in its own environment (`make checkov` creates `.venv-checkov/`): its `bc-python-hcl2`
installs the same `hcl2` package as python-hcl2 8 and breaks it, so the two never share one. gateaudit only
runs the `checkov` program and reads its JSON report.

Every Checkov check result becomes a `Result` with `source="checkov"`: its check id as the rule id, the
control the check belongs to (`MAPPING`, else `other`), passed or failed (a check skipped by a
`#checkov:skip=` comment is suppressed, with that comment's reason), the Terraform address, the file
relative to the scanned path, the line of the block header, and the check's name as the message. The gate
counts them like ours. A Checkov that is missing, crashes, times out, prints something that is not its
report, or could not parse a file, is a scan error (exit 2), never a silent skip.

Severity. Checkov reports a severity only with a Prisma Cloud API key; without one it is null. Then a
mapped check takes the severity of the gateaudit rule that states the same requirement (`MAPPING`), and a
check outside our four controls takes `OTHER_SEVERITY` (low): those are hardening checks (X-Ray, caching,
WAF, code signing) that the gate still counts at the default `--fail-on low`.

One Checkov run per scanned path: Checkov 3.3.30 given several `-d` prints one report per folder, but
every report after the first repeats the first folder's results instead of its own.

The scanned tree is untrusted: it chooses no Checkov program (`find_executable`), configures nothing (no
`.checkov.yaml` of the scanned folder or the current one is read: `command`, `invoke`), and Checkov sees only a
minimal environment (`environment`), so CI's tokens are not handed to a program that reads the tree.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .discover import display_prefix, is_config_file
from .result import Result, RuleInfo, ScanError, Severity, Status, SuppressionRecord
from .root import program_on_path

ENV_EXECUTABLE = "GATEAUDIT_CHECKOV"
VENV = ".venv-checkov"
DEFAULT_TIMEOUT = 600.0  # seconds per Checkov run; Checkov takes about 50 s on 1,000 files here
OTHER = "other"
OTHER_SEVERITY = Severity.LOW
# Checkov's exit codes with a report: 0 nothing failed, 1 some check failed. Anything else is a crash.
REPORT_EXIT_CODES = (0, 1)


class Mapping(NamedTuple):
    control: str
    severity: Severity  # when Checkov gives none: the severity of the gateaudit rules of the same requirement
    rules: tuple[str, ...]  # gateaudit rules that judge the same requirement ((): none, the control's only)


_A, _S, _P, _L = "authorizer-attached", "secret-not-hardcoded", "scoped-permission", "logging-enabled"
_H, _C, _M = Severity.HIGH, Severity.CRITICAL, Severity.MEDIUM

# A check belongs to a control when failing it fails that control's requirement as gateaudit states it.
# Each entry was read in Checkov 3.3.30's source (checkov/terraform/checks/...).
MAPPING: dict[str, Mapping] = {
    # authorizer-attached: every route is guarded by a Lambda authorizer
    "CKV_AWS_59": Mapping(_A, _H, ("GA101",)),  # method: authorization NONE without api_key_required
    "CKV2_AWS_70": Mapping(_A, _H, ("GA101",)),  # method: authorization or API key, or a private/denying API
    "CKV_AWS_309": Mapping(_A, _H, ("GA102",)),  # v2 route: authorization_type AWS_IAM, CUSTOM or JWT
    # secret-not-hardcoded: no secret is written into the configuration
    "CKV_AWS_41": Mapping(_S, _C, ("GA205",)),  # provider access_key / secret_key literals
    "CKV_AWS_45": Mapping(_S, _C, ("GA202",)),  # secrets in Lambda environment variables
    "CKV_AWS_46": Mapping(_S, _C, ()),  # secrets in EC2 user data
    # scoped-permission: invoke permissions and IAM policies are least-privilege
    "CKV_AWS_364": Mapping(_P, _H, ("GA301",)),  # service permission without source_arn or source_account
    "CKV_AWS_301": Mapping(_P, _H, ("GA301",)),  # permission with principal "*"
    "CKV_AWS_1": Mapping(_P, _H, ("GA302",)),  # policy document: "*" action on "*" resource
    "CKV_AWS_62": Mapping(_P, _H, ("GA302",)),  # policy: "*" action on "*" resource
    "CKV_AWS_49": Mapping(_P, _H, ("GA302",)),  # policy document: "*" action
    "CKV_AWS_63": Mapping(_P, _H, ("GA302",)),  # policy: "*" action
    "CKV_AWS_355": Mapping(_P, _H, ("GA302",)),  # policy: "*" resource for restrictable actions
    "CKV_AWS_356": Mapping(_P, _H, ("GA302",)),  # policy document: "*" resource for restrictable actions
    "CKV2_AWS_40": Mapping(_P, _H, ("GA302",)),  # policy: full IAM privileges
    "CKV_AWS_107": Mapping(_P, _H, ("GA302",)),  # policy document: credentials exposure
    "CKV_AWS_108": Mapping(_P, _H, ("GA302",)),  # policy document: data exfiltration (secret reads)
    "CKV_AWS_109": Mapping(_P, _H, ("GA302",)),  # policy document: permissions management
    "CKV_AWS_110": Mapping(_P, _H, ("GA302",)),  # policy document: privilege escalation
    "CKV_AWS_111": Mapping(_P, _H, ("GA302",)),  # policy document: write access without constraints
    "CKV_AWS_286": Mapping(_P, _H, ("GA302",)),  # policy: privilege escalation
    "CKV_AWS_287": Mapping(_P, _H, ("GA302",)),  # policy: credentials exposure
    "CKV_AWS_288": Mapping(_P, _H, ("GA302",)),  # policy: data exfiltration (secret reads)
    "CKV_AWS_289": Mapping(_P, _H, ("GA302",)),  # policy: permissions management
    "CKV_AWS_290": Mapping(_P, _H, ("GA302",)),  # policy: write access without constraints
    "CKV_AWS_274": Mapping(_P, _H, ("GA303",)),  # AdministratorAccess attached to a role, user or group
    "CKV_AWS_275": Mapping(_P, _H, ("GA303",)),  # AdministratorAccess used by a policy
    "CKV2_AWS_56": Mapping(_P, _H, ("GA303",)),  # IAMFullAccess attached
    "CKV_AWS_60": Mapping(_P, _H, ()),  # role trust: any principal may assume it
    "CKV_AWS_61": Mapping(_P, _H, ()),  # role trust: every principal of an account may assume it
    "CKV_AWS_283": Mapping(_P, _H, ()),  # policy document: "*" principal
    # logging-enabled: stages and the authorizer log, without logging the key
    "CKV_AWS_76": Mapping(_L, _M, ("GA401", "GA403")),  # stage access logs to a destination
    "CKV2_AWS_4": Mapping(_L, _M, ("GA402",)),  # stage method settings log at ERROR or INFO, with metrics
    "CKV_AWS_276": Mapping(_L, _H, ("GA404",)),  # method settings: data trace off
    "CKV_AWS_66": Mapping(_L, _M, ("GA405",)),  # log group: a retention period
}
# Read and left in `other` on purpose, because failing them does not fail one of our controls:
# CKV_AWS_338 (log retention under a year: a retention length policy; 30 days meets logging-enabled),
# CKV_AWS_258 (Lambda function URL auth: not an API Gateway route), CKV_AWS_295 (DataSync secret_key set at
# all, even from a variable), CKV_AWS_40 (policies attached to users), CKV_AWS_73 / CKV_AWS_50 (X-Ray tracing),
# CKV_AWS_158 (log group KMS key).
CONTROL_OF: dict[str, str] = {check: mapping.control for check, mapping in MAPPING.items()}

_SEVERITIES = {"CRITICAL": Severity.CRITICAL, "HIGH": Severity.HIGH, "MEDIUM": Severity.MEDIUM,
               "LOW": Severity.LOW, "INFO": Severity.LOW}
# the lists of Checkov's report, and the status of a result in each (a skipped check was suppressed by a comment)
STATUS_OF = {"passed_checks": Status.PASSED, "failed_checks": Status.FAILED, "skipped_checks": Status.SUPPRESSED}


def control_of(check_id: str) -> str:
    return CONTROL_OF.get(check_id, OTHER)


def default_severity(check_id: str) -> Severity:
    mapping = MAPPING.get(check_id)
    return mapping.severity if mapping else OTHER_SEVERITY


@dataclass(frozen=True)
class CheckovOptions:
    executable: str | None = None  # --checkov PATH; else $GATEAUDIT_CHECKOV; else found (see find_executable)
    timeout: float = DEFAULT_TIMEOUT
    env_passthrough: tuple[str, ...] = ()  # --checkov-env-passthrough: more variables (fnmatch patterns) for Checkov


@dataclass
class CheckovRun:
    results: list[Result] = field(default_factory=list)
    rules: list[RuleInfo] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)


class CheckovError(Exception):
    """Checkov did not produce a report gateaudit can trust."""


def find_executable(given: str | None = None, scanned: Iterable[Path] = ()) -> Path:
    """`given` (--checkov), else $GATEAUDIT_CHECKOV, else the `.venv-checkov` beside gateaudit's own install,
    else `checkov` on PATH. Raises CheckovError naming what was tried.

    The first two are trusted: the command line and the environment name them. The last two are found, and
    a program found inside a scanned folder is never run: the scanned tree is written by the change under
    review, and a `.venv-checkov/bin/checkov` or a `checkov` on a relative PATH entry shipped in it would run
    with CI's environment. So neither the current folder nor a relative PATH entry is ever searched, nor a
    PATH folder inside a scanned path's repository (`root.program_on_path`)."""
    explicit = given or os.environ.get(ENV_EXECUTABLE)
    if explicit:
        how = "--checkov" if given else ENV_EXECUTABLE
        path = Path(explicit)
        found = path if path.is_file() else (Path(shutil.which(explicit)) if shutil.which(explicit) else None)
        if found is None:
            raise CheckovError(f"checkov not found: {how} names {explicit}, which does not exist")
        if not os.access(found, os.X_OK):
            raise CheckovError(f"checkov at {found} ({how}) is not executable")
        return found
    untrusted = {form for path in scanned for form in (Path(os.path.abspath(path)), Path(path).resolve())}

    def inside_scanned(candidate: Path) -> bool:
        places = {Path(os.path.abspath(candidate)), candidate.resolve()}
        return any(place == folder or folder in place.parents for place in places for folder in untrusted)

    tried = []
    for folder in dict.fromkeys([Path(__file__).resolve().parent.parent, Path(sys.prefix).resolve().parent]):
        candidate = folder / VENV / "bin" / "checkov"
        tried.append(str(candidate))
        if candidate.is_file() and os.access(candidate, os.X_OK) and not inside_scanned(candidate):
            return candidate
    on_path = program_on_path("checkov", scanned)
    if on_path:
        return Path(on_path)
    raise CheckovError(f"checkov not found: not at {' nor '.join(tried)}, nor on PATH (a program inside a scanned "
                       f"folder is never run). Run `make checkov` (it installs Checkov into {VENV}/ beside "
                       f"gateaudit), or give --checkov PATH or {ENV_EXECUTABLE}")


def command(executable: Path, path: Path, var_files: Iterable[Path]) -> list[str]:
    # `--directory=DIR`, never `-d DIR`: Checkov reads a `.checkov.yaml` from a folder given as `-d DIR` (its
    # get_default_config_paths looks for the two-word form only), and the scanned tree must not configure
    # Checkov: its `skip-check` would hide checks, its `external-checks-dir` would run the tree's code.
    target = ["-f", str(path.resolve())] if path.is_file() else [f"--directory={path.resolve()}"]
    options = [item for var_file in var_files for item in ("--var-file", str(var_file.resolve()))]
    # A file that is not Terraform source is a plan or state JSON to gateaudit: Checkov reads those as a plan.
    framework = "terraform" if path.is_dir() or is_config_file(path.name) else "terraform_plan"
    return [str(executable), *target, "--framework", framework, "-o", "json", "--skip-download", *options]


# What Checkov is given of gateaudit's environment: enough to run and reach a proxy, nothing else. CI's tokens
# and cloud credentials are not its business; --checkov-env-passthrough adds more on purpose.
KEPT_ENVIRONMENT = ("PATH", "HOME", "TMPDIR", "TZ", "LANG", "LANGUAGE", "LC_*", "SYSTEMROOT",
                    "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "no_proxy",
                    "all_proxy")


def environment(passthrough: Iterable[str] = ()) -> dict[str, str]:
    patterns = (*KEPT_ENVIRONMENT, *passthrough)
    return {name: value for name, value in os.environ.items()
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)}


# Loaded by Checkov's Python at start-up (PYTHONPATH) under --no-inline-suppressions: Checkov has no option
# to ignore its `checkov:skip` comments, and a skipped check is not judged at all, so the comment pattern it
# compiles at import is replaced by one that matches nothing before any of its modules read it.
_NO_SKIP_COMMENTS = """\
import re

try:
    import checkov.common.comment.enum as _comments
except Exception:
    pass
else:
    _comments.COMMENT_REGEX = re.compile(r"(?!)")
"""


def invoke(argv: list[str], timeout: float, env: dict[str, str] | None = None, skip_comments: bool = True) -> str:
    """Checkov's standard output; raises CheckovError when it crashed or ran out of time.

    It runs in an empty temporary folder, so no `.checkov.yaml` of the current folder applies either.
    """
    with tempfile.TemporaryDirectory(prefix="gateaudit-checkov-") as folder:
        env = dict(environment() if env is None else env)
        if not skip_comments:
            Path(folder, "sitecustomize.py").write_text(_NO_SKIP_COMMENTS, encoding="utf-8")
            env["PYTHONPATH"] = os.pathsep.join(p for p in (folder, env.get("PYTHONPATH")) if p)
        return _invoke(argv, timeout, env, folder)


def _invoke(argv: list[str], timeout: float, env: dict[str, str], cwd: str) -> str:
    try:
        process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   encoding="utf-8", errors="replace", stdin=subprocess.DEVNULL, env=env, cwd=cwd,
                                   start_new_session=sys.platform != "win32")
    except OSError as error:
        raise CheckovError(f"cannot run {argv[0]}: {error.strerror or error}") from None
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(process)
        raise CheckovError(f"checkov did not finish within {timeout:g} s (--checkov-timeout); stopped it") from None
    if process.returncode not in REPORT_EXIT_CODES:
        raise CheckovError(f"checkov exited with code {process.returncode}: {_tail(stderr or stdout)}")
    return stdout


def _kill(process: subprocess.Popen) -> None:
    """Stop Checkov and whatever it started (its own process group), then reap it."""
    try:
        if sys.platform != "win32":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except OSError:
        pass
    process.communicate()


def _tail(text: str, lines: int = 12) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip()][-lines:]
    return "\n".join(kept) if kept else "(it printed nothing)"


def parse_output(text: str) -> list[dict]:
    """Checkov's JSON: one report object, a list of them (one per framework), or several printed one after
    another (one per `-d`). Raises CheckovError for anything else."""
    decoder = json.JSONDecoder()
    documents: list = []
    position = 0
    while True:
        while position < len(text) and text[position].isspace():
            position += 1
        if position >= len(text):
            break
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError:
            raise CheckovError("checkov printed something that is not its JSON report: "
                               f"{_excerpt(text[position:])}") from None
        documents.extend(value if isinstance(value, list) else [value])
    if not documents:
        raise CheckovError("checkov printed no report (empty output)")
    for document in documents:
        if not isinstance(document, dict) or not (_is_report(document) or _is_empty_summary(document)):
            raise CheckovError(f"checkov printed JSON that is not its report: {_excerpt(json.dumps(document))}")
    return documents


def _is_report(document: dict) -> bool:
    results = document.get("results")
    return isinstance(results, dict) and isinstance(document.get("summary"), dict) and all(
        isinstance(results.get(key, []), list) for key in (*STATUS_OF, "parsing_errors"))


def _is_empty_summary(document: dict) -> bool:  # what Checkov prints when it found no resources
    return {"passed", "failed", "resource_count"} <= set(document) and "results" not in document


def _excerpt(text: str, limit: int = 200) -> str:
    text = text.strip()
    return repr(text[:limit] + ("…" if len(text) > limit else ""))


@dataclass
class _Place:
    """Where a scanned path's files show in the report: relative to the path, with a prefix for several paths."""

    base: Path
    prefix: str

    def show(self, file: str) -> str:
        relative = os.path.relpath(os.path.abspath(file), self.base.resolve())
        return (self.prefix + relative).replace(os.sep, "/")


def place_of(path: Path, several: bool) -> _Place:
    base = path if path.is_dir() else path.parent
    return _Place(base, display_prefix(base, several))


_HEADER = re.compile(r'^\s*(resource|data|provider|module)\s+"')


def terraform_address(check: dict) -> str:
    """Checkov's `resource` as Terraform writes the address: `data.` for data sources, `provider.aws.<alias>`
    for providers (Checkov writes `aws.default` and `aws.<alias>`)."""
    resource = str(check.get("resource") or "")
    kind = _block_kind(check)
    module, local = _split_module(resource)
    if kind == "data" and not local.startswith("data."):
        local = "data." + local
    elif kind == "provider" and not local.startswith("provider."):
        name, _, alias = local.partition(".")
        local = f"provider.{name}" + ("" if alias in ("", "default") else f".{alias}")
    return module + local


_MODULE_PREFIX = re.compile(r'^((?:module\.[^.\[]+(?:\[(?:"[^"]*"|[^\]]*)\])?\.)*)(.*)$')


def _split_module(resource: str) -> tuple[str, str]:
    """("module.a.module.b[0].", "aws_x.y") for "module.a.module.b[0].aws_x.y"."""
    match = _MODULE_PREFIX.match(resource)
    return match.group(1), match.group(2)


def _block_kind(check: dict) -> str:
    code = check.get("code_block") or []
    if code and isinstance(code[0], list) and len(code[0]) == 2 and isinstance(code[0][1], str):
        match = _HEADER.match(code[0][1])
        if match:
            return match.group(1)
    check_class = str(check.get("check_class") or "")
    for kind in ("data", "provider"):
        if f".checks.{kind}." in check_class:
            return kind
    return "resource"


def to_results(documents: list[dict], place: _Place, skip_comments: bool = True) -> CheckovRun:
    run = CheckovRun()
    infos: dict[str, RuleInfo] = {}
    version = next((d.get("summary", d).get("checkov_version") for d in documents
                    if d.get("summary", d).get("checkov_version")), None)
    for document in documents:
        if not _is_report(document):
            continue
        results = document["results"]
        for key, status in STATUS_OF.items():
            for check in results.get(key, []):
                result = _result(check, status, place, skip_comments)
                run.results.append(result)
                infos.setdefault(result.rule_id, _rule_info(check, result, version))
        failed_files = [str(file) for file in results.get("parsing_errors", [])]
        for file in failed_files:
            run.errors.append(ScanError(place.show(file), None, "Checkov could not parse this file (its report "
                                                                "lists it under parsing_errors)"))
        counted = document["summary"].get("parsing_errors") or 0
        if isinstance(counted, int) and counted > len(failed_files):
            run.errors.append(ScanError(None, None, f"Checkov reports {counted} parsing error(s) but names "
                                                    f"{len(failed_files)} file(s)"))
    run.rules = sorted(infos.values(), key=lambda info: info.id)
    return run


def _result(check: dict, status: Status, place: _Place, skip_comments: bool = True) -> Result:
    check_id = str(check.get("check_id") or "")
    if not check_id:
        raise CheckovError(f"a check in Checkov's report has no check_id: {_excerpt(json.dumps(check))}")
    file = check.get("file_abs_path") or check.get("file_path") or ""
    lines = check.get("file_line_range") or [1, 1]
    line = lines[0] if isinstance(lines, list) and lines and isinstance(lines[0], int) and lines[0] > 0 else 1
    shown = place.show(file)
    suppression = None
    name = str(check.get("check_name") or check_id)
    if status == Status.SUPPRESSED and not skip_comments:
        # A Checkov that applied a comment anyway (not the Python one we start): the check was never judged.
        status = Status.UNKNOWN
        name += (": not judged: Checkov skipped it for a checkov:skip comment, which --no-inline-suppressions "
                 "does not accept")
    elif status == Status.SUPPRESSED:
        reason = (check.get("check_result") or {}).get("suppress_comment") or "skipped by a #checkov:skip comment"
        suppression = SuppressionRecord(source="inline", reason=f"checkov:skip: {reason}", file=shown, line=None)
    return Result(rule_id=check_id, control=control_of(check_id), severity=_severity(check), status=status,
                  resource=terraform_address(check), file=shown, line=line, message=name, suppression=suppression,
                  source="checkov")


def _severity(check: dict) -> Severity:
    given = check.get("severity")
    if isinstance(given, str) and given.upper() in _SEVERITIES:
        return _SEVERITIES[given.upper()]
    return default_severity(str(check.get("check_id")))


def _rule_info(check: dict, result: Result, version: str | None) -> RuleInfo:
    guideline = check.get("guideline")
    mapping = MAPPING.get(result.rule_id)
    where = f"{result.control} (like {', '.join(mapping.rules)})" if mapping and mapping.rules else result.control
    rationale = (f"Checkov's check {result.rule_id}, mapped onto {where}." if mapping
                 else f"Checkov's check {result.rule_id}, outside gateaudit's four controls.")
    check_class = str(check.get("check_class") or "")
    implemented = f" ({check_class})" if check_class and not check_class.endswith(".base_check") else ""
    remediation = f"See {guideline}" if guideline else f"See Checkov's documentation of {result.rule_id}{implemented}."
    severity_note = ("its severity is Checkov's" if check.get("severity") else
                     "Checkov gave no severity (that needs a Prisma Cloud API key): this is gateaudit's default for it")
    help_text = (f"{result.message}\n\nA Checkov check ({result.rule_id}{implemented}), run by `gateaudit scan "
                 f"--with-checkov`; {severity_note}.\n\n{rationale}\n\n{remediation}")
    return RuleInfo(id=result.rule_id, control=result.control, severity=result.severity, title=result.message,
                    rationale=rationale, remediation=remediation, mappings={}, help=help_text,
                    origin=f"checkov {version}" if version else "checkov")


def run(paths: list[Path], var_files: list[Path], options: CheckovOptions,
        skip_comments: bool = True) -> CheckovRun:
    """Run Checkov over each scanned path and convert its reports. Failures come back as scan errors.

    `skip_comments=False` (--no-inline-suppressions): Checkov's `checkov:skip` comments are not applied.
    """
    try:
        executable = find_executable(options.executable, paths)
    except CheckovError as error:
        return CheckovRun(errors=[ScanError(None, None, str(error))])
    several = len(paths) > 1
    env = environment(options.env_passthrough)

    def one(path: Path) -> CheckovRun:
        if not path.exists():
            return CheckovRun()  # the scan itself reports the missing path
        try:
            output = invoke(command(executable, path, var_files), options.timeout, env, skip_comments)
            return to_results(parse_output(output), place_of(path, several), skip_comments)
        except CheckovError as error:
            return CheckovRun(errors=[ScanError(None, None, f"{error} (checkov on {path})")])

    with ThreadPoolExecutor(max_workers=min(len(paths), os.cpu_count() or 1) or 1) as pool:
        runs = list(pool.map(one, paths))
    merged = CheckovRun()
    infos: dict[str, RuleInfo] = {}
    unique: dict[tuple, Result] = {}
    for each in runs:
        # A module called from two roots is judged twice, with the same address and file: keep one.
        unique.update({(r.rule_id, r.resource, r.file, r.line, r.status): r for r in each.results})
        merged.errors.extend(each.errors)
        for info in each.rules:
            infos.setdefault(info.id, info)
    merged.results = sorted(unique.values(), key=Result.sort_key)
    merged.rules = sorted(infos.values(), key=lambda info: info.id)
    return merged
