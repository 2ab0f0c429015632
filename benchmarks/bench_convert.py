"""Conversion speed on the seed disclosures: prints documents/s and rows/s.

    .venv/bin/python benchmarks/bench_convert.py [--repeat N] [SEEDS_DIR]
"""
from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from opendata.convert import convert_file

DEFAULT_SEEDS = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("seeds", nargs="?", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    sources = sorted(args.seeds.glob("*.txt"))
    convert_file(sources[0])  # load the standard once, as a long-running process would
    print(f"{'document':34} {'rows':>6} {'best ms':>9} {'median ms':>10}")
    total_rows, total_best = 0, 0.0
    for source in sources:
        times, rows = [], 0
        for _ in range(args.repeat):
            start = time.perf_counter()
            result = convert_file(source)
            times.append(time.perf_counter() - start)
            rows = sum(len(t.rows) for t in result.disclosure.tables.values())
        best = min(times)
        total_rows += rows
        total_best += best
        print(f"{source.name:34} {rows:6d} {best * 1000:9.1f} {statistics.median(times) * 1000:10.1f}")
    print(f"\n{len(sources)} documents, {total_rows} rows in {total_best:.3f} s (best of {args.repeat} each): "
          f"{len(sources) / total_best:.1f} documents/s, {total_rows / total_best:,.0f} rows/s")


if __name__ == "__main__":
    main()
