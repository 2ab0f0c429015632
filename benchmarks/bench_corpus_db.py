"""Speed of the corpus database (`opendata corpus build`): build time for 100 packages (with
`--large` also 1,000), with and without validation, and the incremental rebuild (nothing changed;
one package changed).

The packages are real converted packages (default: the packages under ../corpus-pkgs, else the
seeds' datapackages/) and, to reach the size, copies of them under another package name (the data
files hard-linked where possible, the descriptor rewritten).

    .venv/bin/python benchmarks/bench_corpus_db.py [--large] [--source DIR] [--work DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from pathlib import Path

from opendata.corpus import build
from opendata.package import find_packages

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = [REPO.parent / "corpus-pkgs", REPO / "datapackages"]


def link_tree(source: Path, target: Path) -> None:
    """Copy a package folder, hard-linking its files where the file system allows."""
    try:
        shutil.copytree(source, target, copy_function=os.link)
    except OSError:
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(source, target)


def make_packages(sources: list[Path], count: int, folder: Path) -> list[Path]:
    """`count` package folders under `folder`: the real ones first, then renamed copies of them."""
    made = []
    for index in range(count):
        source = sources[index % len(sources)]
        copy = index // len(sources)
        target = folder / (source.name if copy == 0 else f"{source.name}-copy{copy:03d}")
        link_tree(source, target)
        if copy:
            descriptor_file = target / "datapackage.json"
            descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
            descriptor["name"] = target.name
            descriptor_file.unlink()   # a hard link: write a new file, not through the link
            descriptor_file.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
        made.append(target)
    return made


def timed_build(packages: list[Path], db: Path, validate: bool) -> tuple[float, object]:
    start = time.perf_counter()
    summary = build(packages, db, validate=validate)
    return time.perf_counter() - start, summary


def touch_one(package: Path) -> None:
    """Change one package's descriptor (its version), so that its digest changes."""
    descriptor_file = package / "datapackage.json"
    descriptor = json.loads(descriptor_file.read_text(encoding="utf-8"))
    descriptor["version"] = "1.0.1" if descriptor.get("version") != "1.0.1" else "1.0.2"
    descriptor_file.unlink()
    descriptor_file.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--large", action="store_true", help="also build 1,000 packages (several minutes)")
    parser.add_argument("--source", type=Path, help="a folder of real packages to copy (default: ../corpus-pkgs, else datapackages/)")
    parser.add_argument("--work", type=Path, help="where to put the copies and databases (default: a temporary folder)")
    args = parser.parse_args()
    source = args.source or next(p for p in DEFAULT_SOURCES if p.exists())
    sources = find_packages(source)
    sizes = [100, 1000] if args.large else [100]
    work = Path(tempfile.mkdtemp(prefix="bench-corpus-db-", dir=args.work))
    print(f"source: {source} ({len(sources)} real packages)")
    print(f"{'packages':>8} {'validate':>8} {'build s':>8} {'facts':>9} {'facts/s':>9} {'findings':>8} "
          f"{'unchanged s':>11} {'1 changed s':>11} {'db MB':>6}")
    try:
        for size in sizes:
            packages = make_packages(sources, size, work / f"packages-{size}")
            for validate in (False, True):
                db = work / f"corpus-{size}-{'v' if validate else 'n'}.duckdb"
                seconds, summary = timed_build(packages, db, validate)
                assert summary.failed == 0, summary.errors[:3]
                again, unchanged = timed_build(packages, db, validate)
                assert unchanged.loaded == 0, unchanged
                touch_one(packages[0])
                one, changed = timed_build(packages, db, validate)
                assert changed.loaded == 1, changed
                import duckdb
                con = duckdb.connect(str(db), read_only=True)
                findings = con.execute("SELECT count(*) FROM findings").fetchall()[0][0]
                con.close()
                print(f"{size:8d} {'yes' if validate else 'no':>8} {seconds:8.1f} {summary.facts:9d} "
                      f"{summary.facts / seconds:9.0f} {findings:8d} {again:11.2f} {one:11.2f} "
                      f"{db.stat().st_size / 1e6:6.1f}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
