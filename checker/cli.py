"""The command line: arguments in, exit code out. The only module that exits or prints."""

from __future__ import annotations

import argparse
import sys
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
    scan.add_argument("--fail-on", choices=[s.value for s in Severity], default="low",
                      help="lowest severity that fails the scan (default: low)")
    scan.add_argument("--verbose", "-v", action="store_true", help="text format: list passed results too")
    scan.add_argument("--debug", action="store_true", help=argparse.SUPPRESS)
    commands.add_parser("schema", help="print the JSON Schema of the json report")
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
    if args.command == "schema":
        from importlib.resources import files

        sys.stdout.write(files("gateaudit.reports").joinpath("schema/gateaudit-report.schema.json").read_text())
        return EXIT_PASS
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
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            Path(target).write_text(rendered, encoding="utf-8")
        except OSError as error:
            print(f"gateaudit: cannot write {target}: {error.strerror or error}", file=sys.stderr)
            return EXIT_ERROR
        if args.output_dir:
            print(f"gateaudit: wrote {target}", file=sys.stderr)
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
