"""Write every report format for every fixture, example and stack root to one folder, to diff before and after
a change that must not change behaviour:

    python scripts/report_corpus.py build/corpus-before     # on the old commit
    python scripts/report_corpus.py build/corpus-after      # on the new one
    diff -r build/corpus-before build/corpus-after

Each target is scanned on its own, from a copy of the folders outside any git checkout (the commit a report
names is not what changed), with no config, no cache, a fixed date and a fixed SOURCE_DATE_EPOCH, so the
only differences left are the ones the change made.
"""

from __future__ import annotations

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


def main() -> None:
    out = Path(sys.argv[1]).resolve()
    with tempfile.TemporaryDirectory(prefix="gateaudit-corpus-") as temporary:
        copy = Path(temporary)
        for folder in COPIED:
            shutil.copytree(ROOT / folder, copy / folder, symlinks=True,
                            ignore=shutil.ignore_patterns("__pycache__", ".terraform"))
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            results = list(pool.map(lambda t: scan(t, out, copy), targets()))
    print(f"{len(results)} targets scanned into {out}")


if __name__ == "__main__":
    main()
