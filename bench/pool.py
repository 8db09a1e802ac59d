"""Where the parse pool starts to pay: parse batches of growing size in this process and in a pool of two
workers (every core this process may use), cold, and print both times and the smallest batch the pool wins.

`gateaudit.parse_many.POOL_MIN_BYTES` is set from this measurement. The files are bench/speed.py's generated
corpus (~2.8 KB of Terraform each).

Usage: python bench/pool.py [--repeat N]
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import tempfile
import time
from pathlib import Path

from gateaudit import grammar, parse_many

SIZES = [8, 16, 32, 64, 96, 128, 192, 256, 384, 512]  # files per batch


def _corpus(folder: Path) -> list[tuple[str, str]]:
    spec = importlib.util.spec_from_file_location("speed", Path(__file__).with_name("speed.py"))
    speed = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(speed)
    speed.generate(folder, max(SIZES))
    return [(p.name, p.read_text()) for p in sorted(folder.rglob("*.tf"))]


def _best(items: list[tuple[str, str]], workers: int, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        parse_many.parse_all(items, use_cache=False, workers=workers)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    cores = parse_many.cores()
    if cores < 2:
        print("one core: the pool never spreads files here (only isolates large ones)")
        return
    saved = parse_many.POOL_MIN_BYTES
    grammar.prepare(None)
    with tempfile.TemporaryDirectory() as temporary:
        texts = _corpus(Path(temporary))
    print(f"{'files':>6} {'bytes':>9} {'in process':>11} {'pool of 2':>10}")
    pays = None
    try:
        for count in SIZES:
            batch = texts[:count]
            size = sum(len(text) for _, text in batch)
            parse_many.POOL_MIN_BYTES = 1 << 62
            alone = _best(batch, 1, args.repeat)
            parse_many.POOL_MIN_BYTES = 0
            pooled = _best(batch, 2, args.repeat)
            print(f"{count:6} {size:9} {alone:10.3f}s {pooled:9.3f}s")
            if pays is None and pooled < alone:
                pays = size
    finally:
        parse_many.POOL_MIN_BYTES = saved
    print(f"the pool pays from about {pays} bytes (POOL_MIN_BYTES is {saved})" if pays else
          "the pool did not pay at any size measured")


if __name__ == "__main__":
    main()
