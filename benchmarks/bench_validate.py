"""Benchmark: validate a generated corpus of packages with `opendata validate` (structure and
every later layer) and with plain frictionless (structure only), in one run (issue 5: ours
at least 10 times faster, with the same structural findings).

The corpus is built with tests/clean_packages.py: realistic disclosures of 14 tables and
about 150 rows each (收支总表 … 项目支出表, performance targets, key figures, narrative),
varied codes and amounts, every third one printed in 元. Every `--defects-every`-th
package gets one structural defect written into a CSV (text in an amount cell, a repeated
row id, a row cut short, a blank row, a misnamed header), so the comparison of structural
findings compares something.

    .venv/bin/python benchmarks/bench_validate.py [--packages 2000] [--defects-every 20] [--keep DIR]

Prints packages/s and rows/s for each, the speed-up, and whether the structural findings
are the same (by table and frictionless message). Exit code 1 when ours is not 10 times
faster or the structural findings differ.
"""
from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import frictionless  # noqa: E402

from opendata.package import write_package  # noqa: E402
from opendata.validate import validate  # noqa: E402
from opendata.validate.report import rule_catalog  # noqa: E402
from tests.clean_packages import clean_disclosure  # noqa: E402

DEFECTS = ("type", "duplicate", "short-row", "blank-row", "header")


def break_package(package: Path, kind: str, seed: int) -> None:
    """Write one structural defect into one of the package's tables."""
    tables = sorted((package / "data").glob("*.csv"))
    target = next(p for p in tables[seed % len(tables):] + tables if p.name not in ("narrative.csv", "key_figures.csv")
                  and len(p.read_text(encoding="utf-8").splitlines()) > 3)
    lines = target.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    if kind == "type":
        column = next((i for i, name in enumerate(header) if name in ("total", "amount")), len(header) - 1)
        cells = lines[2].split(",")
        cells[column] = "一百万"
        lines[2] = ",".join(cells)
    elif kind == "duplicate":
        lines.insert(3, lines[2])
    elif kind == "short-row":
        lines[2] = ",".join(lines[2].split(",")[:-2])
    elif kind == "blank-row":
        lines.insert(2, "," * (len(header) - 1))
    elif kind == "header":
        header[2] = header[2] + "_x"
        lines[0] = ",".join(header)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def build_corpus(root: Path, count: int, defects_every: int) -> int:
    broken = 0
    for seed in range(count):
        package = write_package(clean_disclosure(seed, yuan=seed % 3 == 2), root / f"p{seed:05d}")
        if defects_every and seed % defects_every == defects_every - 1:
            break_package(package, DEFECTS[(seed // defects_every) % len(DEFECTS)], seed)
            broken += 1
    return broken


def ours_structural(report) -> set[tuple]:
    """(package, table, frictionless message) of our structural table findings."""
    result = set()
    for package in report.packages:
        for f in package.findings:
            if rule_catalog()[f.rule]["layer"] == "structure" and f.rule.startswith("table."):
                result.add((Path(package.path).name, f.table, f.message.split(": ", 1)[1]))
    return result


def run_frictionless(packages: list[Path]) -> tuple[float, int, set[tuple], int]:
    found: set[tuple] = set()
    rows = 0
    other = 0
    start = time.perf_counter()
    for package in packages:
        report = frictionless.validate(str(package / "datapackage.json"))
        for error in report.errors:
            other += 1  # package-level errors (none expected: the descriptors are valid Data Packages)
        for task in report.tasks:
            rows += task.stats.get("rows") or 0
            for error in task.errors:
                found.add((package.name, task.name, error.message))
    return time.perf_counter() - start, rows, found, other


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=int, default=2000)
    parser.add_argument("--defects-every", type=int, default=20, help="put a structural defect in every n-th package (0: none)")
    parser.add_argument("--keep", type=Path, help="build the corpus in this folder and keep it")
    parser.add_argument("--min-speedup", type=float, default=10.0)
    args = parser.parse_args(argv)

    root = args.keep or Path(tempfile.mkdtemp(prefix="opendata-bench-"))
    if root.exists() and any(root.iterdir()):
        shutil.rmtree(root)
    root.mkdir(parents=True, exist_ok=True)
    try:
        start = time.perf_counter()
        broken = build_corpus(root, args.packages, args.defects_every)
        packages = sorted(p for p in root.iterdir() if (p / "datapackage.json").exists())
        print(f"corpus: {len(packages)} packages ({broken} with a structural defect) built in {time.perf_counter() - start:.1f} s")

        start = time.perf_counter()
        report = validate(root)
        ours_time = time.perf_counter() - start
        rows = sum(p.rows for p in report.packages)
        findings = Counter(f.rule for p in report.packages for f in p.findings)

        start = time.perf_counter()
        structure_only = validate(root, layers=())
        structure_time = time.perf_counter() - start

        start = time.perf_counter()
        cli = subprocess.run([str(Path(sys.executable).parent / "opendata"), "validate", str(root), "--json",
                              "-o", str(root.parent / f"{root.name}-report.json")], capture_output=True, text=True)
        cli_time = time.perf_counter() - start
        (root.parent / f"{root.name}-report.json").unlink(missing_ok=True)

        theirs_time, theirs_rows, theirs, package_errors = run_frictionless(packages)
        mine = ours_structural(report)

        n = len(packages)
        print(f"packages {n}, rows {rows} ({rows / n:.0f} a package), frictionless counted {theirs_rows} rows")
        print(f"{'':38} {'seconds':>9} {'packages/s':>11} {'rows/s':>10}")
        for name, seconds in (("opendata validate (all layers, API)", ours_time),
                              ("opendata validate (structure, API)", structure_time),
                              ("opendata validate (all layers, CLI)", cli_time),
                              ("frictionless validate (structure)", theirs_time)):
            print(f"{name:38} {seconds:9.2f} {n / seconds:11.1f} {rows / seconds:10.0f}")
        speedup = theirs_time / ours_time
        print(f"speed-up, all our layers vs frictionless's structural checks: {speedup:.1f}x "
              f"(CLI, process start included: {theirs_time / cli_time:.1f}x)")
        same = mine == theirs and package_errors == 0
        print(f"structural findings: ours {len(mine)}, frictionless {len(theirs)}: {'the same' if same else 'DIFFERENT'}")
        if not same:
            for item in sorted(theirs - mine)[:10]:
                print("  only frictionless:", item)
            for item in sorted(mine - theirs)[:10]:
                print("  only ours:", item)
        print("findings by rule:", dict(findings.most_common()))
        print("CLI exit code:", cli.returncode, "(1: the corpus has structural defects)" if broken else "")
        return 0 if same and speedup >= args.min_speedup else 1
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
