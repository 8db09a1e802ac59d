"""How often the secret-not-hardcoded rules (GA201 and up) flag what nobody meant as a secret, over every `.tf`
of the repository: the stack's roots and modules, its examples, every rule fixture, the hostile corpus, the
integration fixtures, and every rule's docstring examples.

    .venv/bin/python scripts/secret_false_positives.py           # figures, then every finding
    .venv/bin/python scripts/secret_false_positives.py --quiet   # figures only
    .venv/bin/python scripts/secret_false_positives.py --rules GA202,GA203   # those rules only

A finding is a `failed` or `unknown` result of a secret rule. It is *meant* when its target is written to hold
a secret or to leave one undecided: a `fail_*` or `unknown_*` fixture of a GA2xx rule, a GA2xx rule's
**Fails** example, or a folder whose file starts `# DELIBERATELY INSECURE` (the seed example). Everywhere else
(the stack, `pass_*` fixtures, other controls' fixtures, **Passes** examples, the corpus) a `failed` finding
is a false positive and an `unknown` one is noise. GA200 (modules not read) judges no value and is left out.
Targets that do not load (the hostile corpus is meant not to) are counted and skipped.
"""

from __future__ import annotations

import argparse
import inspect
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

from gateaudit.engine import run_rules
from gateaudit.modules import load
from gateaudit.result import Status
from gateaudit.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
SECRET_RULE = re.compile(r"GA2(?!00)\d\d")


def fixture_targets() -> list[tuple[str, Path, bool]]:
    """(name, path, meant) for every rule fixture, file or folder."""
    found = []
    for folder in sorted((ROOT / "tests" / "rules").glob("GA*")):
        for entry in sorted(folder.iterdir()):
            if entry.is_dir() or entry.suffix == ".tf":
                meant = folder.name.startswith("GA2") and entry.name.startswith(("fail_", "unknown_"))
                found.append((str(entry.relative_to(ROOT)), entry, meant))
    return found


def other_targets() -> list[tuple[str, Path, bool]]:
    """Every other folder holding a `.tf` (outside fixtures, virtual environments and build output)."""
    skip = ("tests/rules/", ".venv", "build/", ".terraform/")
    folders = sorted({p.parent for p in ROOT.rglob("*.tf")
                      if not any(part in str(p.relative_to(ROOT)) + "/" for part in skip)})
    found = []
    for folder in folders:
        name = str(folder.relative_to(ROOT))
        if folder.name == "corpus":  # one file per hostile case: each on its own
            found += [(f"{name}/{p.name}", p, False) for p in sorted(folder.glob("*.tf"))]
        else:
            insecure = any(p.read_text().startswith("# DELIBERATELY INSECURE") for p in folder.glob("*.tf"))
            found.append((name, folder, insecure))
    return found


def example_targets(rules: list, workdir: Path) -> list[tuple[str, Path, bool]]:
    """Every rule's **Fails** and **Passes** example, each written to a folder of its own."""
    found = []
    for loaded in rules:
        doc = sys.modules[loaded.check.__module__].__doc__ or ""
        for heading in ("Fails", "Passes"):
            match = re.search(rf"^\*\*{heading}\*\*\n((?:    .*\n|\n)+)", doc + "\n", re.MULTILINE)
            if match is None:
                continue
            folder = workdir / f"{loaded.rule.id}-{heading.lower()}"
            folder.mkdir()
            (folder / "main.tf").write_text(inspect.cleandoc(match.group(1)) + "\n")
            meant = heading == "Fails" and loaded.rule.id.startswith("GA2")
            found.append((f"{loaded.rule.id} docstring {heading}", folder, meant))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quiet", action="store_true", help="print the figures only")
    parser.add_argument("--rules", help="comma-separated rule ids to run (default: every secret rule)")
    args = parser.parse_args()
    rules = load_rules()
    chosen = set(args.rules.split(",")) if args.rules else None
    secret_rules = [r for r in rules if SECRET_RULE.fullmatch(r.rule.id) and (chosen is None or r.rule.id in chosen)]
    counts: Counter = Counter()
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        targets = fixture_targets() + other_targets() + example_targets(rules, Path(tmp))
        for name, path, meant in targets:
            stack, errors = load([path], use_cache=False)
            if errors:
                counts["targets not loaded"] += 1
                continue
            counts["targets"] += 1
            counts["files"] += len(stack.files)
            results, _ = run_rules(stack, secret_rules)
            for result in results:
                counts[f"results {result.status}"] += 1
                if result.status not in (Status.FAILED, Status.UNKNOWN):
                    continue
                kind = "meant" if meant else ("false positive" if result.status == Status.FAILED else "noise")
                counts[f"{result.status} {kind}"] += 1
                lines.append(f"{kind:>14}  {result.rule_id} {result.status:<7} {name}: {result.resource} "
                             f"({result.file}:{result.line}) {result.message[:110]}")
    failed = counts["failed meant"] + counts["failed false positive"]
    rate = counts["failed false positive"] / failed if failed else 0.0
    print(f"rules: {', '.join(r.rule.id for r in secret_rules)}")
    print(f"targets: {counts['targets']} loaded ({counts['files']} files), {counts['targets not loaded']} not loaded")
    print(f"results: {counts['results passed']} passed, {counts['results failed']} failed, "
          f"{counts['results unknown']} unknown")
    print(f"failed: {failed}, of which {counts['failed false positive']} false positives "
          f"({rate:.1%}) in targets not meant to hold a secret")
    print(f"unknown: {counts['unknown meant'] + counts['unknown noise']}, of which {counts['unknown noise']} in "
          "targets not meant to leave a secret undecided")
    if not args.quiet:
        print()
        print("\n".join(sorted(lines)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
