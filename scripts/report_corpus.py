"""Write every report format for every fixture, example and stack root to one folder, to diff before and after
a change that must not change behaviour:

    python scripts/report_corpus.py build/corpus-before     # on the old commit
    python scripts/report_corpus.py build/corpus-after      # on the new one
    diff -r build/corpus-before build/corpus-after
    python scripts/report_corpus.py --compare build/corpus-before build/corpus-after

`--compare` says, where files differ, whether any verdict did: exit codes and stderr, every result, error,
summary and gate in the JSON and SARIF reports; and what else differs (rule help, the fixtures' hashes).

Each target is scanned on its own, from a copy of the folders outside any git checkout (the commit a report
names is not what changed), with no config, no cache, a fixed date and a fixed SOURCE_DATE_EPOCH, so the
only differences left are the ones the change made.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("text", "json", "sarif", "junit", "markdown", "html")


def targets() -> list[Path]:
    """Every rule fixture (a file or a folder), the stack's roots and examples, and the hostile corpus."""
    found = [entry for folder in sorted((ROOT / "tests" / "rules").glob("GA*")) for entry in sorted(folder.iterdir())
             if entry.suffix in (".tf", ".json") or entry.is_dir()]
    found += sorted(p for p in (ROOT / "stack" / "terraform").iterdir() if p.is_dir())
    found += [ROOT / "stack" / "terraform", ROOT / "stack" / "examples" / "seed"]
    corpus = ROOT / "tests" / "hostile" / "corpus"
    if corpus.is_dir():
        found += sorted(corpus.iterdir())
    return found


COPIED = ("tests/rules", "tests/hostile/corpus", "stack")


def scan(target: Path, out: Path, copy: Path) -> tuple[Path, int]:
    name = str(target.relative_to(ROOT)).replace("/", "__")
    folder = out / name
    folder.mkdir(parents=True, exist_ok=True)
    formats = [arg for f in FORMATS for arg in ("--format", f)]
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1796515200", "NO_COLOR": "1", "CI": ""}
    done = subprocess.run([sys.executable, "-m", "gateaudit", "scan", str(target.relative_to(ROOT)), *formats,
                           "--output-dir", str(folder), "--no-config", "--no-cache", "--today", "2026-12-06"],
                          cwd=copy, env=env, capture_output=True, text=True)
    stderr = "".join(line for line in done.stderr.splitlines(keepends=True) if not line.startswith("gateaudit: wrote "))
    (folder / "exit").write_text(f"{done.returncode}\n{stderr}")
    return target, done.returncode


def compare(before: Path, after: Path) -> int:
    """Print what differs between two corpora, verdicts first; 1 when any verdict differs."""
    verdicts, other = [], set()
    for target in sorted(p.name for p in before.iterdir()):
        old, new = before / target, after / target
        if not new.is_dir():
            verdicts.append(f"{target}: not in {after}")
            continue
        if (old / "exit").read_text() != (new / "exit").read_text():
            verdicts.append(f"{target}: exit code or stderr")
        for name, part in (("gateaudit.json", lambda r: {k: r[k] for k in
                                                          ("results", "errors", "summary", "gate", "exit_code")}),
                           ("gateaudit.sarif", lambda r: [run["results"] for run in r["runs"]])):
            first, second = (json.loads((folder / name).read_text()) for folder in (old, new))
            if part(first) != part(second):
                verdicts.append(f"{target}: results in {name}")
            other.update(f"{name}: {key}" for key in set(first) | set(second)
                         if first.get(key) != second.get(key) and key not in ("results", "runs"))
            if name.endswith("sarif"):
                other.update(f"{name}: runs.{key}" for one, two in zip(first["runs"], second["runs"], strict=False)
                             for key in set(one) | set(two) if key != "results" and one.get(key) != two.get(key))
        other.update(f"{path.name}" for path in old.iterdir()
                     if path.suffix in (".txt", ".md", ".xml", ".html")
                     and path.read_bytes() != (new / path.name).read_bytes())
    print(f"{len(verdicts)} verdict differences" + "".join(f"\n  {line}" for line in verdicts))
    print("other differences: " + (", ".join(sorted(other)) or "none"))
    return 1 if verdicts else 0


def main() -> None:
    if sys.argv[1] == "--compare":
        sys.exit(compare(Path(sys.argv[2]), Path(sys.argv[3])))
    out = Path(sys.argv[1]).resolve()
    copy = Path(tempfile.gettempdir()) / "gateaudit-report-corpus"  # one name: reports quote the root's path
    shutil.rmtree(copy, ignore_errors=True)
    try:
        for folder in COPIED:
            shutil.copytree(ROOT / folder, copy / folder, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", ".terraform"))
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = list(pool.map(lambda t: scan(t, out, copy), targets()))
    finally:
        shutil.rmtree(copy, ignore_errors=True)
    print(f"{len(results)} targets scanned into {out}")


if __name__ == "__main__":
    main()
