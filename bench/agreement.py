"""Agreement: gateaudit and Checkov judge the same Terraform; how often do their verdicts agree?

Runs both tools over every rule fixture under tests/rules/ (each file or folder case on its own), the
reference stack (stack/terraform), its seed example (stack/examples/seed), and Checkov's own test fixtures
for the checks that cover our controls (../shared/peer/checkov/, read there, never copied).

A verdict is per resource and control: for gateaudit, over the rules of that control; for Checkov, over
its checks mapped onto that control (gateaudit.checkov.MAPPING): failed if any result failed, else unknown
if any was unknown (gateaudit only: Checkov reports no unknowns), else passed. Suppressions are not applied
on either side (the raw verdicts are compared). Only resources both tools judged under the same control are
compared; the others are counted as judged by one tool only.

Prints one line per control (compared, agree, disagree, agreement), every disagreement with the resource
and both verdicts (and the rules and checks behind them), what Checkov failed where gateaudit judged
nothing under that control (a place to look for what gateaudit misses), and where Checkov's verdicts on its
own fixtures differ from what its own tests expect (peer/checkov/expected.json).

Usage: python bench/agreement.py [--only fixtures|stack|peer] [--checkov PATH] [--peer DIR] [--json]
Checkov comes from .venv-checkov/ (`make checkov`), --checkov PATH or $GATEAUDIT_CHECKOV.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PEER = ROOT.parent / "shared" / "peer" / "checkov"
CONTROLS = ("authorizer-attached", "secret-not-hardcoded", "scoped-permission", "logging-enabled")
GROUPS = ("fixtures", "stack", "peer")


@dataclass(frozen=True)
class Case:
    """Terraform judged on its own: a fixture file, a fixture folder, a stack root or a peer folder."""

    label: str  # "GA101/fail_authorization_none.tf", "stack/terraform", "peer/APIGatewayMethodWOAuth"
    path: Path
    group: str

    def owns(self, file: Path) -> bool:
        return file == self.path if self.path.is_file() else self.path in file.parents

    def show(self, file: Path) -> str:
        base = self.path.parent if self.path.is_file() else self.path
        return os.path.relpath(file, base).replace(os.sep, "/")


@dataclass
class Verdicts:
    """(resource, file, control) -> [(rule or check id, status)] for one tool and one case."""

    by_key: dict[tuple[str, str, str], list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, resource: str, file: str, control: str, rule_id: str, status: str) -> None:
        self.by_key[(resource, file, control)].append((rule_id, status))

    def verdict(self, key: tuple[str, str, str]) -> str:
        statuses = {status for _, status in self.by_key[key]}
        return next(s for s in ("failed", "unknown", "passed", "suppressed") if s in statuses)


@dataclass(frozen=True)
class Disagreement:
    case: str
    resource: str
    file: str
    control: str
    gateaudit: str
    checkov: str
    gateaudit_results: tuple[tuple[str, str], ...]
    checkov_results: tuple[tuple[str, str], ...]

    def key(self) -> tuple[str, str, str, str, str]:
        return (self.case, self.resource, self.control, self.gateaudit, self.checkov)

    def __str__(self) -> str:
        def said(results):
            return ", ".join(f"{rule} {status}" for rule, status in sorted(results))

        return (f"{self.case}  {self.resource} ({self.file})  {self.control}: gateaudit {self.gateaudit} "
                f"({said(self.gateaudit_results)}) / checkov {self.checkov} ({said(self.checkov_results)})")


@dataclass
class Agreement:
    checkov_version: str | None
    cases: int
    counts: dict[str, Counter]  # control -> compared, agree, disagree, only_gateaudit, only_checkov
    disagreements: list[Disagreement]
    peer_unexpected: list[str]  # Checkov verdicts on its own fixtures that its own tests do not expect
    parsing_errors: list[str]
    gateaudit_errors: list[str]  # what a `gateaudit scan` of the case would report as errors (exit 2)
    checkov_only_failed: list[str]  # failed by Checkov where gateaudit judged nothing under that control


def cases(groups: tuple[str, ...] = GROUPS, peer: Path = PEER) -> list[Case]:
    found: list[Case] = []
    if "fixtures" in groups:
        for rule_dir in sorted((ROOT / "tests" / "rules").glob("GA[0-9][0-9][0-9]")):
            for case in sorted(rule_dir.iterdir()):
                if case.name.startswith(("pass_", "fail_", "unknown_")):
                    found.append(Case(f"{rule_dir.name}/{case.name}", case, "fixtures"))
    if "stack" in groups:
        found += [Case("stack/terraform", ROOT / "stack" / "terraform", "stack"),
                  Case("stack/examples/seed", ROOT / "stack" / "examples" / "seed", "stack")]
    if "peer" in groups:
        for folder in sorted(peer_expectations(peer)):
            found.append(Case(f"peer/{Path(folder).name}", peer / folder, "peer"))
    return found


def peer_expectations(peer: Path = PEER) -> dict[str, dict]:
    expected = peer / "expected.json"
    if not expected.is_file():
        raise SystemExit(f"agreement: {expected} not found: the peer fixtures are read from ../shared/peer/checkov/ "
                         "(or --peer DIR)")
    return json.loads(expected.read_text(encoding="utf-8"))


def gateaudit_verdicts(case: Case) -> tuple[Verdicts, list[str]]:
    from gateaudit.engine import run_rules
    from gateaudit.modules import load
    from gateaudit.rules import load_rules
    from gateaudit.settings import Settings, of_folder

    stack, errors = load([case.path])
    rules = load_rules()
    settings = of_folder(case.path, rules) if case.path.is_dir() else Settings()  # a fixture's own options
    results, rule_errors = run_rules(stack, rules, settings)
    verdicts = Verdicts()
    for result in results:
        # A result may point away from its block (GA102: at the for_each entry that defines the route, in tfvars
        # or the caller); Checkov reports the block's file, so the verdict is keyed by where the block is.
        file = result.block_file or result.file
        verdicts.add(result.resource, file, result.control, result.rule_id, result.status.value)
    return verdicts, [f"{case.label}: {error}" for error in [*errors, *rule_errors]]


def checkov_batches(all_cases: list[Case], batch: bool = True) -> list[list[Case]]:
    """Cases Checkov can judge in one run without mixing them: file cases from different folders go together
    (`-f a/x.tf -f b/y.tf`; Checkov merges the files of one folder into one module, so never two of the same
    folder); each folder case runs alone (`-d`: Checkov 3.3.30 repeats the first folder's results for every
    further -d)."""
    if not batch:
        return [[case] for case in all_cases]
    folders = [[case] for case in all_cases if case.path.is_dir()]
    by_folder: dict[Path, list[Case]] = defaultdict(list)
    for case in all_cases:
        if case.path.is_file():
            by_folder[case.path.parent].append(case)
    rounds = max((len(files) for files in by_folder.values()), default=0)
    files = [[cases_[i] for cases_ in by_folder.values() if i < len(cases_)] for i in range(rounds)]
    return folders + files


def run_checkov(batch: list[Case], executable: Path, timeout: float) -> list[dict]:
    from gateaudit.checkov import invoke, parse_output

    if len(batch) == 1 and batch[0].path.is_dir():
        target = ["-d", str(batch[0].path)]
    else:
        target = ["-f", *(str(case.path) for case in batch)]
    argv = [str(executable), *target, "--framework", "terraform", "-o", "json", "--skip-download"]
    return parse_output(invoke(argv, timeout))


def checkov_verdicts(all_cases: list[Case], executable: Path, timeout: float = 600, batch: bool = True,
                     ) -> tuple[dict[str, Verdicts], str | None, list[str]]:
    from gateaudit.checkov import STATUS_OF, control_of, terraform_address

    verdicts: dict[str, Verdicts] = {case.label: Verdicts() for case in all_cases}
    version, parsing_errors = None, []
    batches = checkov_batches(all_cases, batch)
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        outputs = list(pool.map(lambda batch: run_checkov(batch, executable, timeout), batches))
    for batch, documents in zip(batches, outputs, strict=True):
        for document in documents:
            version = version or document.get("summary", document).get("checkov_version")
            results = document.get("results", {})
            parsing_errors += [str(file) for file in results.get("parsing_errors", [])]
            for key, status in STATUS_OF.items():
                for check in results.get(key, []):
                    file = Path(check["file_abs_path"]).resolve()
                    case = next((c for c in batch if c.owns(file)), None)
                    if case is None:
                        raise SystemExit(f"agreement: Checkov judged {file}, outside the cases it was given")
                    verdicts[case.label].add(terraform_address(check), case.show(file), control_of(check["check_id"]),
                                             check["check_id"], status.value)
    return verdicts, version, parsing_errors


def compare(all_cases: list[Case], executable: Path, peer: Path = PEER, batch: bool = True) -> Agreement:
    checkov, version, parsing_errors = checkov_verdicts(all_cases, executable, batch=batch)
    counts = {control: Counter() for control in CONTROLS}
    disagreements, gateaudit_errors, checkov_only = [], [], []
    for case in all_cases:
        (ours, errors), theirs = gateaudit_verdicts(case), checkov[case.label]
        gateaudit_errors += errors
        for key in sorted(set(ours.by_key) | set(theirs.by_key)):
            resource, file, control = key
            if control not in counts:
                continue
            if key not in theirs.by_key:
                counts[control]["only_gateaudit"] += 1
                continue
            if key not in ours.by_key:
                counts[control]["only_checkov"] += 1
                if theirs.verdict(key) == "failed":
                    failed = sorted(check for check, status in theirs.by_key[key] if status == "failed")
                    checkov_only.append(f"{case.label}  {resource} ({file})  {control}: {', '.join(failed)}")
                continue
            counts[control]["compared"] += 1
            mine, yours = ours.verdict(key), theirs.verdict(key)
            if mine == yours:
                counts[control]["agree"] += 1
                continue
            counts[control]["disagree"] += 1
            disagreements.append(Disagreement(case.label, resource, file, control, mine, yours,
                                              tuple(sorted(ours.by_key[key])), tuple(sorted(theirs.by_key[key]))))
    return Agreement(version, len(all_cases), counts, disagreements,
                     _peer_unexpected(all_cases, checkov, peer), parsing_errors, gateaudit_errors, checkov_only)


def _peer_unexpected(all_cases: list[Case], checkov: dict[str, Verdicts], peer: Path) -> list[str]:
    """Where Checkov's own run differs from what its own tests expect of its own fixtures."""
    peer_cases = [case for case in all_cases if case.group == "peer"]
    if not peer_cases:
        return []
    unexpected = []
    expectations = peer_expectations(peer)
    for case in peer_cases:
        expected = expectations[str(case.path.relative_to(peer))]
        statuses: dict[str, str] = {}
        for (resource, _, _), results in checkov[case.label].by_key.items():
            for check_id, status in results:
                if check_id == expected["check"]:
                    statuses[resource] = status
        for want, resources in (("passed", expected.get("passing", [])), ("failed", expected.get("failing", [])),
                                ("not reported", expected.get("unknown", []))):
            for resource in resources:
                got = statuses.get(resource, "not reported")
                if got != want:
                    unexpected.append(f"{case.label} {expected['check']} {resource}: expected {want}, got {got}")
    return unexpected


def render(agreement: Agreement) -> str:
    from gateaudit import __version__

    lines = [f"gateaudit {__version__} and Checkov {agreement.checkov_version or '?'}: verdicts per resource and "
             f"control over {agreement.cases} cases", ""]
    lines.append(f"{'control':<22}{'compared':>9}{'agree':>7}{'disagree':>9}{'agreement':>11}"
                 f"{'only gateaudit':>16}{'only checkov':>14}")
    total = Counter()
    for control, counts in agreement.counts.items():
        total.update(counts)
        lines.append(_row(control, counts))
    lines.append(_row("all", total))
    lines += ["", f"Disagreements ({len(agreement.disagreements)}):"]
    lines += [f"  {d}" for d in agreement.disagreements] or ["  none"]
    lines += ["", f"Failed by Checkov where gateaudit judged the resource under no rule of that control "
                  f"({len(agreement.checkov_only_failed)}):"]
    lines += [f"  {line}" for line in agreement.checkov_only_failed] or ["  none"]
    if agreement.peer_unexpected:
        lines += ["", "Checkov's verdicts on its own fixtures that its own tests do not expect:"]
        lines += [f"  {line}" for line in agreement.peer_unexpected]
    if agreement.parsing_errors:
        lines += ["", "Files Checkov could not parse:"] + [f"  {file}" for file in agreement.parsing_errors]
    if agreement.gateaudit_errors:
        lines += ["", "Scan errors gateaudit reports (its verdicts above are still compared):"]
        lines += [f"  {error}" for error in agreement.gateaudit_errors]
    return "\n".join(lines) + "\n"


def _row(control: str, counts: Counter) -> str:
    compared = counts["compared"]
    share = f"{100 * counts['agree'] / compared:.1f}%" if compared else "-"
    return (f"{control:<22}{compared:>9}{counts['agree']:>7}{counts['disagree']:>9}{share:>11}"
            f"{counts['only_gateaudit']:>16}{counts['only_checkov']:>14}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=GROUPS, action="append", help="only these cases (repeatable)")
    parser.add_argument("--checkov", metavar="PATH", help="the checkov program (default: as gateaudit finds it)")
    parser.add_argument("--peer", metavar="DIR", type=Path, default=PEER, help=f"Checkov's fixtures (default: {PEER})")
    parser.add_argument("--json", action="store_true", help="print the figures and disagreements as JSON")
    parser.add_argument("--one-by-one", action="store_true",
                        help="one Checkov run per case (slower; a check that batching changes nothing)")
    args = parser.parse_args(argv)
    from gateaudit.checkov import CheckovError, find_executable

    try:
        executable = find_executable(args.checkov)
    except CheckovError as error:
        print(f"agreement: {error}", file=sys.stderr)
        return 2
    try:
        agreement = compare(cases(tuple(args.only or GROUPS), args.peer), executable, args.peer,
                            batch=not args.one_by_one)
    except CheckovError as error:
        print(f"agreement: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"checkov_version": agreement.checkov_version, "cases": agreement.cases,
                          "controls": {c: dict(n) for c, n in agreement.counts.items()},
                          "disagreements": [d.__dict__ for d in agreement.disagreements],
                          "peer_unexpected": agreement.peer_unexpected,
                          "parsing_errors": agreement.parsing_errors,
                          "gateaudit_errors": agreement.gateaudit_errors,
                          "checkov_only_failed": agreement.checkov_only_failed}, indent=2))
    else:
        sys.stdout.write(render(agreement))
    return 0


if __name__ == "__main__":
    sys.exit(main())
