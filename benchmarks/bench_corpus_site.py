"""The corpus catalog site's build time (`opendata corpus site`): a corpus database of N packages, made
from synthetic copies of real packages (each copy renamed, its unit renamed so that every copy is a
unit of its own; amounts unchanged), then the site built from it. Prints, per size, the database
build time (for information: benchmarks/bench_corpus_db.py measures it) and the site build time,
pages written and the site's size.

    .venv/bin/python benchmarks/bench_corpus_site.py [--large] [--sizes N ...] [--from DIR ...] [--validate]

Default: 100 packages; --large adds 1,000. The packages copied are those of `--from` folders
(default: the seed packages in datapackages/; e.g. --from /path/to/converted/corpus).
"""
from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from opendata.corpus import build  # noqa: E402
from opendata.corpus.site import build_site  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


def originals(folders: list[Path]) -> list[Path]:
    """Every package folder (holding datapackage.json) directly in or at the given folders."""
    found = []
    for folder in folders:
        found += [folder] if (folder / "datapackage.json").is_file() else \
            sorted(p for p in folder.iterdir() if (p / "datapackage.json").is_file())
    return found


def synthetic(sources: list[Path], count: int, out: Path) -> list[Path]:
    """`count` copies of `sources` (round robin) in `out`, each with its own package name and unit name."""
    made = []
    for index in range(count):
        source = sources[index % len(sources)]
        descriptor = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
        name = f"{descriptor['name']}-copy{index:04d}"
        target = out / name
        shutil.copytree(source, target)
        descriptor["name"] = name
        unit = dict(descriptor.get("unit") or {})
        unit["name"] = f"{unit.get('name') or descriptor['name']}（副本{index:04d}）"
        unit["code"] = None
        descriptor["unit"] = unit
        (target / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
        made.append(target)
    return made


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100], help="numbers of packages (default: 100)")
    parser.add_argument("--large", action="store_true", help="also 1,000 packages")
    parser.add_argument("--from", dest="sources", type=Path, nargs="*", default=[REPO / "datapackages"],
                        help="packages to copy (folders of packages or packages; default: datapackages/)")
    parser.add_argument("--validate", action="store_true", help="validate while building the database "
                        "(the findings view filled; slower)")
    args = parser.parse_args()
    sizes = sorted(set(args.sizes + ([1000] if args.large else [])))
    sources = originals(args.sources)
    print(f"copies of {len(sources)} packages; database built with validate={args.validate}")
    print(f"{'packages':>8}  {'db build s':>10}  {'site build s':>12}  {'pages':>6}  {'site MB':>7}  {'ms/package':>10}")
    for count in sizes:
        with tempfile.TemporaryDirectory(prefix="bench-corpus-site-") as tmp:
            tmp = Path(tmp)
            packages = synthetic(sources, count, tmp / "packages")
            started = time.perf_counter()
            summary = build(packages, tmp / "corpus.duckdb", validate=args.validate)
            db_seconds = time.perf_counter() - started
            if summary.failed:
                raise SystemExit(f"{summary.failed} packages failed to load: {summary.errors[:3]}")
            started = time.perf_counter()
            site = build_site(tmp / "corpus.duckdb", tmp / "site")
            seconds = time.perf_counter() - started
            print(f"{count:>8}  {db_seconds:>10.1f}  {seconds:>12.2f}  {site.pages:>6}  "
                  f"{size_of(tmp / 'site') / 1e6:>7.1f}  {1000 * seconds / count:>10.1f}")


if __name__ == "__main__":
    main()
