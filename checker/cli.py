"""The command line: arguments in, exit code out. The only module that exits or prints."""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import os
import stat
import sys
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TextIO

from gateaudit.reports import FORMATS, file_name, for_terminal, renderer
from gateaudit.reports.text import terminal_line, verdict_line

from .result import ExitCode, Severity, UnknownMode


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors are exit 2, like every other untrusted scan
        self.print_usage(sys.stderr)
        _say(f"gateaudit: error: {message}")
        raise SystemExit(ExitCode.ERROR)

    def _print_message(self, message: str, file: TextIO | None = None) -> None:  # usage and help: escaped too
        if message:
            _write(file or sys.stdout, for_terminal("text", message))


def _say(line: str, stream: TextIO | None = None) -> None:
    """Print one line (stderr unless told): escaped, so nothing in it acts on the terminal or a CI runner."""
    _write(stream or sys.stderr, terminal_line(line) + "\n")


def _write(stream: TextIO, text: str) -> None:
    """Write and flush. A reader that went away (`| head`) is no error of the scan: the rest of that stream goes
    nowhere, and gateaudit ends with the exit code it would have had."""
    try:
        stream.write(text)
        stream.flush()
    except BrokenPipeError:
        # What is still buffered, and Python's own flush at exit, must not fail again: send them to /dev/null.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, stream.fileno())
            os.close(devnull)


SKIP_PATH_HELP = ("do not read folders or .tf files matching this glob, relative to the scanned folder "
                  "(repeatable; `*` within a name, `**` across folders; without a `/`, that name at any depth; "
                  "`./x` only at the top); every report lists what was skipped")


SNAPSHOT = "gateaudit-account.json"

CONFIG_DIR_HELP = ("for a scanned plan or state JSON: the folder of its root module's configuration, where "
                   "results point (default: the plan's own folder)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gateaudit", description="Compliance checks for API Gateway stacks guarded by "
                                                   "Lambda authorizers.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command")
    scan = commands.add_parser("scan", help="scan Terraform and judge it against the rules")
    scan.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="folders or files (default: .)")
    scan.add_argument("--var-file", action="append", default=[], metavar="FILE",
                      help="a .tfvars file applied after terraform.tfvars and *.auto.tfvars (repeatable)")
    scan.add_argument("--config-dir", metavar="DIR", help=CONFIG_DIR_HELP)
    scan.add_argument("--skip-path", action="append", default=[], metavar="PATTERN", help=SKIP_PATH_HELP)
    _report_options(scan)
    scan.add_argument("--no-cache", action="store_true",
                      help="parse and judge every file again (neither the parse cache nor the scan cache)")
    scan.add_argument("--no-inline-suppressions", action="store_true",
                      help="do not apply '# gateaudit:ignore' comments")
    scan.add_argument("--fail-on-suppressions", action="store_true",
                      help="an inline suppression fails the scan by being there")
    scan.add_argument("--fail-on-exemptions", action="store_true",
                      help="a config exemption that applies fails the scan by being there")
    scan.add_argument("--allow-unscanned-modules", action="store_true",
                      help="accept module calls gateaudit did not read (registry, git, outside the repository): "
                           "their results are suppressed, not unknown")
    scan.add_argument("--strict-config", action="store_true",
                      help="a config file inside the scanned tree is an error (default: a warning; never applied)")
    scan.add_argument("--with-checkov", action="store_true",
                      help="run Checkov too (in its own environment: `make checkov`) and merge its results")
    scan.add_argument("--checkov", metavar="PATH", help="the checkov program (implies --with-checkov; default: "
                                                        "$GATEAUDIT_CHECKOV, else the .venv-checkov beside "
                                                        "gateaudit, else checkov on PATH; never one inside a "
                                                        "scanned folder)")
    scan.add_argument("--checkov-env-passthrough", action="append", default=[], metavar="NAME",
                      help="an environment variable (or fnmatch pattern) Checkov is given besides PATH, HOME, "
                           "locale and proxy settings (repeatable; e.g. BC_API_KEY)")
    scan.add_argument("--checkov-timeout", type=_seconds, metavar="SECONDS",
                      help="stop Checkov after SECONDS per scanned path: a scan error (default: 600)")
    scan.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    from gateaudit import limits

    scan.add_argument("--max-file-size", type=limits.parse_size, default=limits.MAX_FILE_SIZE, metavar="SIZE",
                      help="skip no file: a file larger than SIZE is a scan error (default: 10M; e.g. 512k, 20M)")
    scan.add_argument("--max-scan-size", type=limits.parse_size, default=limits.MAX_SCAN_SIZE, metavar="SIZE",
                      help="files read adding up to more than SIZE are a scan error (default: 32M)")
    baseline = commands.add_parser("baseline", help="record today's failures so a scan fails only on new ones")
    baseline.add_argument("paths", nargs="*", default=["."], metavar="PATH")
    baseline.add_argument("--output", "-o", default=".gateaudit-baseline.json", metavar="FILE",
                          help="where to write it (default: .gateaudit-baseline.json)")
    baseline.add_argument("--var-file", action="append", default=[], metavar="FILE")
    baseline.add_argument("--rules-dir", action="append", default=[], metavar="DIR")
    baseline.add_argument("--config-dir", metavar="DIR", help=CONFIG_DIR_HELP)
    baseline.add_argument("--skip-path", action="append", default=[], metavar="PATTERN", help=SKIP_PATH_HELP)
    baseline.add_argument("--config", metavar="FILE")
    baseline.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                          help="the date inline suppressions expire against (default: the real date)")
    baseline.add_argument("--max-file-size", type=limits.parse_size, default=limits.MAX_FILE_SIZE, metavar="SIZE",
                          help="a file larger than SIZE is a scan error: no baseline written (default: 10M)")
    baseline.add_argument("--max-scan-size", type=limits.parse_size, default=limits.MAX_SCAN_SIZE, metavar="SIZE",
                          help="files read adding up to more than SIZE are a scan error (default: 32M)")
    baseline.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    audit = commands.add_parser("audit", help="read the deployed account through boto3 and judge it against the rules")
    _account_options(audit)
    _report_options(audit)
    audit.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    drift = commands.add_parser("drift", help="compare the Terraform with the deployed account: the security-"
                                              "relevant differences, each with both sides")
    drift.add_argument("paths", nargs="*", default=["."], metavar="PATH",
                       help="the Terraform: folders, .tf files, or a plan or state JSON (default: .)")
    drift.add_argument("--var-file", action="append", default=[], metavar="FILE",
                       help="a .tfvars file applied after terraform.tfvars and *.auto.tfvars (repeatable)")
    _account_options(drift)
    drift.add_argument("--from-snapshot", metavar="FILE",
                       help="compare with the account as an earlier `gateaudit audit` read it, instead of reading "
                            "it now")
    _report_options(drift)
    drift.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    commands.add_parser("schema", help="print the JSON Schema of the json report")
    rules = commands.add_parser("rules", help="list the rules")
    rules.add_argument("--rules-dir", action="append", default=[], metavar="DIR")
    rules.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _report_options(command: argparse.ArgumentParser) -> None:
    """What every command that judges takes: the rules, the gate, the reports."""
    command.add_argument("--format", action="append", choices=list(FORMATS), metavar="FORMAT",
                         help=f"report format, repeatable: {', '.join(FORMATS)} (default: text)")
    command.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    command.add_argument("--output-dir", metavar="DIR", help="write each format to DIR/gateaudit.<ext>")
    command.add_argument("--rules-dir", action="append", default=[], metavar="DIR",
                         help="a folder of user rules (repeatable)")
    command.add_argument("--fail-on", choices=[s.value for s in Severity],
                         help="lowest severity that fails the scan (default: the config's, else low)")
    command.add_argument("--unknown", choices=[mode.value for mode in UnknownMode],
                         help="what an unknown result does to the exit code (default: fail)")
    command.add_argument("--baseline", metavar="FILE", help="fail only on failures not recorded in FILE")
    command.add_argument("--config", metavar="FILE", help="the config file (default: .gateaudit.toml or "
                                                          "[tool.gateaudit] in pyproject.toml, from PATH upwards)")
    command.add_argument("--no-config", action="store_true", help="ignore any config file")
    command.add_argument("--verbose", "-v", action="store_true", help="text format: list passed results too")
    command.add_argument("--today", type=_date, metavar="YYYY-MM-DD",
                         help="the date suppressions and exemptions expire against (default: the real date; "
                              "SOURCE_DATE_EPOCH dates the report only)")


def _account_options(command: argparse.ArgumentParser) -> None:
    """Where to read the deployed account: boto3's own configuration, narrowed by these."""
    command.add_argument("--region", action="append", default=[], metavar="REGION",
                         help="a region to read (repeatable; default: the profile's or AWS_REGION)")
    command.add_argument("--all-regions", action="store_true",
                         help="read every region the account has enabled (EC2 DescribeRegions)")
    command.add_argument("--profile", metavar="NAME", help="the AWS profile (default: boto3's, e.g. AWS_PROFILE)")
    command.add_argument("--role-arn", action="append", default=[], metavar="ARN",
                         help="a role to assume and read its account through (repeatable: one account each)")
    command.add_argument("--snapshot", default=SNAPSHOT, metavar="FILE",
                         help=f"where to write what was read, as a Terraform state JSON that `gateaudit scan` "
                              f"judges again offline; reports point at its lines (default: {SNAPSHOT})")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {text!r}")
    return value


def main(argv: list[str] | None = None) -> ExitCode:
    args = _parser().parse_args(argv)
    # What the imports made (modules, classes, functions) lives until the end: the cyclic collector never walks
    # it again. The collector stays on, but off while a stack is loaded and judged (`engine.judge`): its many small
    # objects live until the judgement is made, and walking them again and again would cost a quarter of a scan.
    gc.freeze()
    gc.enable()
    try:
        return _run(args)
    except KeyboardInterrupt:
        _say("gateaudit: interrupted")
        return ExitCode.ERROR
    except Exception:
        if args.debug:
            import traceback  # not imported by a scan that raises nothing

            for line in traceback.format_exc().rstrip("\n").split("\n"):  # exceptions may quote the scanned tree
                _say(line)
        else:
            _say("gateaudit: internal error: this is a bug in gateaudit, not in your Terraform. "
                 "Re-run with --debug to see where.")
        return ExitCode.ERROR
    finally:
        gc.unfreeze()
        gc.enable()


def _run(args: argparse.Namespace) -> ExitCode:
    from gateaudit import __version__

    if args.version:
        _say(f"gateaudit {__version__}", sys.stdout)
        return ExitCode.PASS
    if args.command == "rules":
        return _list_rules(args)
    if args.command == "baseline":
        return _write_baseline(args)
    if args.command == "schema":
        from importlib.resources import files

        _write(sys.stdout, files("gateaudit.reports").joinpath("schema/gateaudit-report.schema.json").read_text())
        return ExitCode.PASS
    if args.command in ("audit", "drift"):
        return _judge_account(args)
    if args.command != "scan":
        _parser().print_help()
        return ExitCode.ERROR
    from gateaudit.engine import ScanOptions, SetupError, scan

    checkov = None
    if args.with_checkov or args.checkov:
        from gateaudit.checkov import DEFAULT_TIMEOUT, CheckovOptions

        checkov = CheckovOptions(executable=args.checkov, timeout=args.checkov_timeout or DEFAULT_TIMEOUT,
                                 env_passthrough=tuple(args.checkov_env_passthrough))
    options = ScanOptions(
        paths=[Path(p) for p in args.paths], display_paths=list(args.paths),
        var_files=[Path(f) for f in args.var_file], rules_dirs=[Path(d) for d in args.rules_dir],
        fail_on=Severity(args.fail_on) if args.fail_on else None,
        unknown=UnknownMode(args.unknown) if args.unknown else None,
        inline_suppressions=False if args.no_inline_suppressions else None,
        fail_on_suppressions=True if args.fail_on_suppressions else None,
        baseline=Path(args.baseline) if args.baseline else None,
        config=Path(args.config) if args.config else None, use_config=not args.no_config,
        use_cache=not args.no_cache, checkov=checkov, max_file_size=args.max_file_size,
        fail_on_exemptions=True if args.fail_on_exemptions else None, today=args.today,
        strict_config=args.strict_config, allow_unscanned_modules=args.allow_unscanned_modules,
        skip_paths=tuple(args.skip_path), max_scan_size=args.max_scan_size,
        config_dir=Path(args.config_dir) if args.config_dir else None)
    formats = _formats(args)
    if formats is None:
        return ExitCode.ERROR
    try:
        report = scan(options)
    except SetupError as error:
        _say(f"gateaudit: error: {error}")
        return ExitCode.ERROR
    return _emit(report, args, formats)


def _judge_account(args: argparse.Namespace) -> ExitCode:
    """Read the account into the snapshot, then judge the snapshot as any state is judged (`audit`), or compare
    the Terraform with it (`drift`)."""
    from gateaudit.engine import ScanOptions, SetupError, scan

    formats = _formats(args)
    if formats is None:
        return ExitCode.ERROR
    snapshot = getattr(args, "from_snapshot", None)
    if snapshot is None:
        if _read_account(args, quiet=args.output is None and args.output_dir is None and formats != ["text"]) \
                is None:
            return ExitCode.ERROR
        snapshot = args.snapshot
    elif not Path(snapshot).is_file():
        _say(f"gateaudit: error: --from-snapshot {snapshot}: no such file")
        return ExitCode.ERROR
    elif reading := [option for option, given in (("--region", args.region), ("--all-regions", args.all_regions),
                                                   ("--profile", args.profile), ("--role-arn", args.role_arn))
                     if given]:
        _say(f"gateaudit: error: --from-snapshot compares with an account already read: {', '.join(reading)} "
             "would read it again")
        return ExitCode.ERROR
    compared = args.command == "drift"
    paths = args.paths if compared else [snapshot]
    options = ScanOptions(
        paths=[Path(p) for p in paths], display_paths=list(paths), rules_dirs=[Path(d) for d in args.rules_dir],
        var_files=[Path(f) for f in getattr(args, "var_file", [])], account=Path(snapshot) if compared else None,
        fail_on=Severity(args.fail_on) if args.fail_on else None,
        unknown=UnknownMode(args.unknown) if args.unknown else None,
        baseline=Path(args.baseline) if args.baseline else None,
        config=Path(args.config) if args.config else None, use_config=not args.no_config, use_cache=False,
        today=args.today)
    try:
        report = scan(options)
    except SetupError as error:
        _say(f"gateaudit: error: {error}")
        return ExitCode.ERROR
    return _emit(report, args, formats)


def _read_account(args: argparse.Namespace, quiet: bool):
    """Read the regions and accounts asked for and write the snapshot; None (said why) when that cannot start."""
    import json

    from gateaudit import aws

    try:
        session = aws.session_for(args.profile)
        regions = list(dict.fromkeys(args.region)) or ([session.region_name] if session.region_name else [])
        if args.all_regions:
            regions = aws.enabled_regions(session, regions[0] if regions else aws.DEFAULT_REGION)
    except aws.setup_errors() as error:
        _say(f"gateaudit: error: cannot start reading the account: {error}")
        return None
    if not regions:
        _say("gateaudit: error: no region: give --region REGION, --all-regions, or set AWS_REGION")
        return None
    targets = [aws.Target(region, role) for role in (args.role_arn or [None]) for region in regions]
    snapshot = aws.read(session, targets, progress=None if quiet else lambda line: _say(f"gateaudit: {line}"))
    try:
        _write_report(Path(args.snapshot), json.dumps(snapshot.document, indent=1) + "\n")
    except OSError as error:
        _say(f"gateaudit: cannot write {args.snapshot}: {error.strerror or error}")
        return None
    if not quiet:
        _say(f"gateaudit: wrote {args.snapshot} ({snapshot.calls} AWS API calls)")
    return snapshot


def _formats(args: argparse.Namespace) -> list[str] | None:
    """The report formats asked for; None (said why) when the output options cannot hold them."""
    formats = list(dict.fromkeys(args.format or ["text"]))
    if args.output and args.output_dir:
        _say("gateaudit: error: --output and --output-dir together: --output names one file, --output-dir a folder")
        return None
    if len(formats) > 1 and not args.output_dir:
        _say("gateaudit: error: several formats need --output-dir DIR, which writes DIR/gateaudit.<ext> for each "
             "(stdout and --output take one)")
        return None
    return formats


def _emit(report, args: argparse.Namespace, formats: list[str]) -> ExitCode:
    """Write the report in each format, say its warnings and errors, and give the gate's exit code."""
    for name in formats:
        module = renderer(name)
        target = Path(args.output_dir) / file_name(name) if args.output_dir else args.output
        if target is None:
            rendered = module.render(report, verbose=args.verbose) if name == "text" else module.render(report)
            _write(sys.stdout, for_terminal(name, rendered))
            continue
        if hasattr(module, "chunks"):  # written as it is encoded: a monorepo's report is never held whole
            pieces: Iterable[str] = module.chunks(report)
        else:
            pieces = (module.render(report, verbose=args.verbose) if name == "text" else module.render(report),)
        try:
            _write_report(Path(target), pieces)
        except OSError as error:
            _say(f"gateaudit: cannot write {target}: {error.strerror or error}")
            return ExitCode.ERROR
        if args.output_dir:
            _say(f"gateaudit: wrote {target}")
    for warning in report.warnings:
        _say(f"gateaudit: warning: {warning}")
    for error in report.errors:
        _say(f"gateaudit: error: {error}")
    if args.output or args.output_dir:  # the terminal shows no report: it shows the verdict
        _say(f"gateaudit: {verdict_line(report)}")
    return report.exit_code


def _write_report(target: Path, text: str | Iterable[str]) -> None:
    """Write a report (its text, or its pieces in order) exactly where asked: never through a symlink someone left
    at that path.

    The text goes to a temporary file beside the target, then replaces it; a symlink at the target is
    refused rather than followed, so a scanned repository cannot aim a report at another file. A character
    device or a named pipe (`--output /dev/null`) is written in place: replacing it would leave a regular
    file where the device was.
    """
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        mode = stat.S_IFREG
    if stat.S_ISLNK(mode):
        raise OSError(errno.EEXIST, "it is a symlink; gateaudit does not write through links")
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode):
        handle = os.open(target, os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            opened = os.fstat(handle).st_mode
            if not stat.S_ISCHR(opened) and not stat.S_ISFIFO(opened):
                raise OSError(errno.EEXIST, "it was replaced while being opened")
            for piece in (text,) if isinstance(text, str) else text:
                out.write(piece)
        return
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        raise OSError(errno.EEXIST, "it is neither a file, a character device nor a named pipe")
    target.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # with what it imports (shutil, random), 5 ms of a warm scan's start: only when writing

    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            for piece in (text,) if isinstance(text, str) else text:
                out.write(piece)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _list_rules(args: argparse.Namespace) -> ExitCode:
    from gateaudit.rules import RuleLoadError, load_rules

    try:
        rules = load_rules([Path(d) for d in args.rules_dir])
    except RuleLoadError as error:
        _say(f"gateaudit: {error}")
        return ExitCode.ERROR
    width = max((len(r.rule.control) for r in rules), default=10)
    for loaded in rules:
        rule = loaded.rule
        _say(f"{rule.id}  {rule.control:<{width}}  {rule.severity.value:<8}  {rule.title}", sys.stdout)
    return ExitCode.PASS


def _write_baseline(args: argparse.Namespace) -> ExitCode:
    from gateaudit.baseline import render
    from gateaudit.engine import ScanOptions, SetupError, scan

    options = ScanOptions(paths=[Path(p) for p in args.paths], display_paths=list(args.paths),
                          var_files=[Path(f) for f in args.var_file], rules_dirs=[Path(d) for d in args.rules_dir],
                          inline_suppressions=True, config=Path(args.config) if args.config else None,
                          max_file_size=args.max_file_size, today=args.today, skip_paths=tuple(args.skip_path),
                          max_scan_size=args.max_scan_size,
                          config_dir=Path(args.config_dir) if args.config_dir else None)
    try:
        report = scan(options)
    except SetupError as error:
        _say(f"gateaudit: error: {error}")
        return ExitCode.ERROR
    for error in report.errors:
        _say(f"gateaudit: error: {error}")
    if report.errors:
        _say("gateaudit: no baseline written: the scan had errors")
        return ExitCode.ERROR
    text = render(list(report.results))
    try:
        _write_report(Path(args.output), text)  # like the reports: never through a symlink, whole or not at all
    except OSError as error:
        _say(f"gateaudit: cannot write {args.output}: {error.strerror or error}")
        return ExitCode.ERROR
    count = text.count('"rule_id"')
    _say(f"gateaudit: recorded {count} failing result(s) in {args.output}", sys.stdout)
    return ExitCode.PASS
