"""The command line: arguments in, exit code out. The only module that exits or prints."""

from __future__ import annotations

import argparse
import errno
import gc
import os
import sys
import tempfile
import traceback
from pathlib import Path

from gateaudit.reports import FORMATS, file_name, renderer

from .result import Severity

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # usage errors are exit 2, like every other untrusted scan
        self.print_usage(sys.stderr)
        print(f"gateaudit: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_ERROR)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gateaudit", description="Compliance checks for API Gateway stacks guarded by "
                                                   "Lambda authorizers.")
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of internal errors")
    commands = parser.add_subparsers(dest="command")
    scan = commands.add_parser("scan", help="scan Terraform and judge it against the rules")
    scan.add_argument("paths", nargs="*", default=["."], metavar="PATH", help="folders or files (default: .)")
    scan.add_argument("--format", action="append", choices=list(FORMATS), metavar="FORMAT",
                      help=f"report format, repeatable: {', '.join(FORMATS)} (default: text)")
    scan.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    scan.add_argument("--output-dir", metavar="DIR", help="write each format to DIR/gateaudit.<ext>")
    scan.add_argument("--var-file", action="append", default=[], metavar="FILE",
                      help="a .tfvars file applied after terraform.tfvars and *.auto.tfvars (repeatable)")
    scan.add_argument("--rules-dir", action="append", default=[], metavar="DIR",
                      help="a folder of user rules (repeatable)")
    scan.add_argument("--fail-on", choices=[s.value for s in Severity],
                      help="lowest severity that fails the scan (default: the config's, else low)")
    scan.add_argument("--unknown", choices=["fail", "warn", "pass"],
                      help="what an unknown result does to the exit code (default: fail)")
    scan.add_argument("--baseline", metavar="FILE", help="fail only on failures not recorded in FILE")
    scan.add_argument("--config", metavar="FILE", help="the config file (default: .gateaudit.toml or "
                                                       "[tool.gateaudit] in pyproject.toml, from PATH upwards)")
    scan.add_argument("--no-config", action="store_true", help="ignore any config file")
    scan.add_argument("--no-cache", action="store_true",
                      help="parse and judge every file again (neither the parse cache nor the scan cache)")
    scan.add_argument("--no-inline-suppressions", action="store_true",
                      help="do not apply '# gateaudit:ignore' comments")
    scan.add_argument("--fail-on-suppressions", action="store_true",
                      help="an inline suppression fails the scan by being there")
    scan.add_argument("--with-checkov", action="store_true",
                      help="run Checkov too (in its own environment: `make checkov`) and merge its results")
    scan.add_argument("--checkov", metavar="PATH", help="the checkov program (implies --with-checkov; default: "
                                                        "$GATEAUDIT_CHECKOV, else .venv-checkov/bin/checkov, "
                                                        "else checkov on PATH)")
    scan.add_argument("--checkov-timeout", type=_seconds, metavar="SECONDS",
                      help="stop Checkov after SECONDS per scanned path: a scan error (default: 600)")
    scan.add_argument("--verbose", "-v", action="store_true", help="text format: list passed results too")
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
    baseline.add_argument("--config", metavar="FILE")
    baseline.add_argument("--max-file-size", type=limits.parse_size, default=limits.MAX_FILE_SIZE, metavar="SIZE",
                          help="a file larger than SIZE is a scan error: no baseline written (default: 10M)")
    baseline.add_argument("--max-scan-size", type=limits.parse_size, default=limits.MAX_SCAN_SIZE, metavar="SIZE",
                          help="files read adding up to more than SIZE are a scan error (default: 32M)")
    baseline.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    commands.add_parser("schema", help="print the JSON Schema of the json report")
    rules = commands.add_parser("rules", help="list the rules")
    rules.add_argument("--rules-dir", action="append", default=[], metavar="DIR")
    rules.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    return parser


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds: {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # A scan builds many small objects that live until it ends; the cyclic collector would walk them
    # again and again for nothing (a quarter of a warm scan's time).
    gc.disable()
    try:
        return _run(args)
    except KeyboardInterrupt:
        print("gateaudit: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except Exception:
        if args.debug:
            traceback.print_exc()
        else:
            print("gateaudit: internal error: this is a bug in gateaudit, not in your Terraform. "
                  "Re-run with --debug to see where.", file=sys.stderr)
        return EXIT_ERROR
    finally:
        gc.enable()


def _run(args: argparse.Namespace) -> int:
    from gateaudit import __version__

    if args.version:
        print(f"gateaudit {__version__}")
        return EXIT_PASS
    if args.command == "rules":
        return _list_rules(args)
    if args.command == "baseline":
        return _write_baseline(args)
    if args.command == "schema":
        from importlib.resources import files

        sys.stdout.write(files("gateaudit.reports").joinpath("schema/gateaudit-report.schema.json").read_text())
        return EXIT_PASS
    if args.command != "scan":
        _parser().print_help()
        return EXIT_ERROR
    from gateaudit.engine import ScanOptions, SetupError, scan

    checkov = None
    if args.with_checkov or args.checkov:
        from gateaudit.checkov import DEFAULT_TIMEOUT, CheckovOptions

        checkov = CheckovOptions(executable=args.checkov, timeout=args.checkov_timeout or DEFAULT_TIMEOUT)
    options = ScanOptions(
        paths=[Path(p) for p in args.paths], display_paths=list(args.paths),
        var_files=[Path(f) for f in args.var_file], rules_dirs=[Path(d) for d in args.rules_dir],
        fail_on=Severity(args.fail_on) if args.fail_on else None, unknown=args.unknown,
        inline_suppressions=False if args.no_inline_suppressions else None,
        fail_on_suppressions=True if args.fail_on_suppressions else None,
        baseline=Path(args.baseline) if args.baseline else None,
        config=Path(args.config) if args.config else None, use_config=not args.no_config,
        use_cache=not args.no_cache, checkov=checkov, max_file_size=args.max_file_size,
        max_scan_size=args.max_scan_size)
    try:
        report = scan(options)
    except SetupError as error:
        print(f"gateaudit: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    formats = list(dict.fromkeys(args.format or ["text"]))
    if args.output and len(formats) > 1:
        print("gateaudit: --output takes one format; use --output-dir for several", file=sys.stderr)
        return EXIT_ERROR
    for name in formats:
        module = renderer(name)
        rendered = module.render(report, verbose=args.verbose) if name == "text" else module.render(report)
        target = Path(args.output_dir) / file_name(name) if args.output_dir else args.output
        if target is None:
            sys.stdout.write(rendered)
            continue
        try:
            _write_report(Path(target), rendered)
        except OSError as error:
            print(f"gateaudit: cannot write {target}: {error.strerror or error}", file=sys.stderr)
            return EXIT_ERROR
        if args.output_dir:
            print(f"gateaudit: wrote {target}", file=sys.stderr)
    for error in report.errors:
        print(f"gateaudit: error: {error}", file=sys.stderr)
    return report.exit_code


def _write_report(target: Path, text: str) -> None:
    """Write a report exactly where asked: never through a symlink someone left at that path.

    The text goes to a temporary file beside the target, then replaces it; a symlink at the target is
    refused rather than followed, so a scanned repository cannot aim a report at another file.
    """
    if target.is_symlink():
        raise OSError(errno.EEXIST, "it is a symlink; gateaudit does not write through links")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _list_rules(args: argparse.Namespace) -> int:
    from gateaudit.rules import RuleLoadError, load_rules

    try:
        rules = load_rules([Path(d) for d in args.rules_dir])
    except RuleLoadError as error:
        print(f"gateaudit: {error}", file=sys.stderr)
        return EXIT_ERROR
    width = max((len(r.rule.control) for r in rules), default=10)
    for loaded in rules:
        rule = loaded.rule
        print(f"{rule.id}  {rule.control:<{width}}  {rule.severity.value:<8}  {rule.title}")
    return EXIT_PASS


def _write_baseline(args: argparse.Namespace) -> int:
    from gateaudit.baseline import render
    from gateaudit.engine import ScanOptions, SetupError, scan

    options = ScanOptions(paths=[Path(p) for p in args.paths], display_paths=list(args.paths),
                          var_files=[Path(f) for f in args.var_file], rules_dirs=[Path(d) for d in args.rules_dir],
                          inline_suppressions=True, config=Path(args.config) if args.config else None,
                          max_file_size=args.max_file_size, max_scan_size=args.max_scan_size)
    try:
        report = scan(options)
    except SetupError as error:
        print(f"gateaudit: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    for error in report.errors:
        print(f"gateaudit: error: {error}", file=sys.stderr)
    if report.errors:
        print("gateaudit: no baseline written: the scan had errors", file=sys.stderr)
        return EXIT_ERROR
    text = render(list(report.results))
    try:
        Path(args.output).write_text(text, encoding="utf-8")
    except OSError as error:
        print(f"gateaudit: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
        return EXIT_ERROR
    count = text.count('"rule_id"')
    print(f"gateaudit: recorded {count} failing result(s) in {args.output}")
    return EXIT_PASS
