"""The command line: arguments in, exit code out. The only module that exits or prints."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from .result import Severity

EXIT_PASS, EXIT_FAIL, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json")


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
    scan.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    scan.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE instead of stdout")
    scan.add_argument("--var-file", action="append", default=[], metavar="FILE",
                      help="a .tfvars file applied after terraform.tfvars and *.auto.tfvars (repeatable)")
    scan.add_argument("--rules-dir", action="append", default=[], metavar="DIR",
                      help="a folder of user rules (repeatable)")
    scan.add_argument("--fail-on", choices=[s.value for s in Severity], default="low",
                      help="lowest severity that fails the scan (default: low)")
    scan.add_argument("--verbose", "-v", action="store_true", help="text format: list passed results too")
    scan.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    rules = commands.add_parser("rules", help="list the rules")
    rules.add_argument("--rules-dir", action="append", default=[], metavar="DIR")
    rules.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
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


def _run(args: argparse.Namespace) -> int:
    from gateaudit import __version__

    if args.version:
        print(f"gateaudit {__version__}")
        return EXIT_PASS
    if args.command == "rules":
        return _list_rules(args)
    if args.command != "scan":
        _parser().print_help()
        return EXIT_ERROR
    from gateaudit.engine import scan
    from gateaudit.rules import RuleLoadError

    try:
        report = scan([Path(p) for p in args.paths], [Path(f) for f in args.var_file],
                      [Path(d) for d in args.rules_dir], Severity(args.fail_on), list(args.paths))
    except RuleLoadError as error:
        print(f"gateaudit: {error}", file=sys.stderr)
        return EXIT_ERROR
    if args.format == "json":
        from gateaudit.reports import json_report

        rendered = json_report.render(report)
    else:
        from gateaudit.reports import text

        rendered = text.render(report, verbose=args.verbose)
    if args.output:
        try:
            Path(args.output).write_text(rendered, encoding="utf-8")
        except OSError as error:
            print(f"gateaudit: cannot write {args.output}: {error.strerror or error}", file=sys.stderr)
            return EXIT_ERROR
    else:
        sys.stdout.write(rendered)
    for error in report.errors:
        print(f"gateaudit: error: {error}", file=sys.stderr)
    return report.exit_code


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
