"""Publishing speed against the local test CKAN (scripts/ckan-dev-server): publishes N
packages (renamed copies of the seed packages, names of their own), then publishes them
again unchanged, and prints both times and the write calls.

    scripts/ckan-dev-server start
    .venv/bin/python benchmarks/bench_publish.py [--count 100] [--excel-csv] [--keep]

The datasets stay on the test server (tagged by the run id in their names) unless --purge.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from opendata.ckan import Portal, publish

REPO = Path(__file__).resolve().parents[1]


def server() -> tuple[str, str]:
    if os.environ.get("CKAN_URL") and os.environ.get("CKAN_API_TOKEN"):
        return os.environ["CKAN_URL"], os.environ["CKAN_API_TOKEN"]
    script = [sys.executable, str(REPO / "scripts" / "ckan-dev-server")]
    subprocess.run([*script, "start"], check=True, stdout=subprocess.DEVNULL)
    home = Path(os.environ.get("OPENDATA_CKAN_HOME") or Path.home() / ".cache" / "opendata-ckan")
    env = json.loads((home / "env.json").read_text())
    return env["url"], env["token"]


def make_copies(dest: Path, count: int, run: str) -> list[Path]:
    seeds = sorted(p for p in (REPO / "datapackages").iterdir() if (p / "datapackage.json").exists())
    out = []
    for i in range(count):
        seed = seeds[i % len(seeds)]
        target = dest / f"{seed.name}-b{i:03d}-{run}"
        shutil.copytree(seed, target, ignore=shutil.ignore_patterns("releases", "CHANGELOG.md"))
        path = target / "datapackage.json"
        descriptor = json.loads(path.read_text(encoding="utf-8"))
        descriptor["name"] = target.name
        path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        out.append(target)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--excel-csv", action="store_true")
    parser.add_argument("--purge", action="store_true", help="Purge the benchmark's datasets afterwards.")
    args = parser.parse_args()
    url, token = server()
    run = uuid.uuid4().hex[:6]
    with tempfile.TemporaryDirectory() as tmp:
        packages = make_copies(Path(tmp), args.count, run)
        files = sum(1 for p in packages for f in p.rglob("*") if f.is_file())
        size = sum(f.stat().st_size for p in packages for f in p.rglob("*") if f.is_file())
        print(f"{args.count} packages ({files} files, {size / 1e6:.1f} MB) → {url}, organization bench-{run}")
        portal = Portal(url, token)
        options = dict(org=f"bench-{run}", allow_invalid=True, excel_csv=args.excel_csv)

        start = time.perf_counter()
        first = publish(portal, packages, **options)
        t_first = time.perf_counter() - start
        writes_first = portal.writes
        failed = [r for r in first if r.status not in ("created", "updated")]
        print(f"first publish:      {t_first:7.1f} s  {args.count / t_first:5.2f} packages/s  "
              f"{writes_first} write calls  ({len(failed)} failed)")

        start = time.perf_counter()
        again = publish(portal, packages, **options)
        t_again = time.perf_counter() - start
        writes_again = portal.writes - writes_first
        unchanged = sum(1 for r in again if r.status == "unchanged")
        print(f"unchanged re-publish: {t_again:5.1f} s  {args.count / t_again:5.2f} packages/s  "
              f"{writes_again} write calls  ({unchanged}/{args.count} unchanged)")
        if args.purge:
            for result in first:
                portal.call("dataset_purge", id=result.name)
        portal.close()
    if failed or writes_again:
        sys.exit(1)


if __name__ == "__main__":
    main()
