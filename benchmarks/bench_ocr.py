"""OCR speed and accuracy (issue #15): the pages of tests/ocr_compare.PAGES rasterised at 150 and 300 dpi,
converted by OCR, compared with their text originals. Prints pages/s and the share of identical amounts.

    PYTHONPATH=src python benchmarks/bench_ocr.py [--jobs N]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opendata.convert import convert_in_process  # noqa: E402
from opendata.convert.limits import Limits  # noqa: E402
from tests.ocr_compare import PAGES, REFERENCES, Comparison, compare, convert_scan, scanned_copy, text_page  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=0)
    args = parser.parse_args()
    if args.jobs:
        os.environ["OPENDATA_OCR_JOBS"] = str(args.jobs)
    limits = Limits.from_env()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for dpi in (150, 300):
            total, started = Comparison(), time.monotonic()
            for name, page in PAGES:
                original = text_page(REFERENCES / name, page, folder / f"{name[:2]}_{page}.pdf")
                scan = scanned_copy(original, folder / f"{name[:2]}_{page}_{dpi}.pdf", dpi)
                total.add(compare(convert_in_process(original, limits), convert_scan(scan)))
            seconds = time.monotonic() - started
            print(f"{dpi} dpi: {len(PAGES)} pages in {seconds:.1f} s ({len(PAGES) / seconds:.3f} pages/s); "
                  f"{total.identical}/{total.total} amounts identical ({total.share:.1%}); "
                  f"{len(total.differing)} differing, {len(total.silent)} not flagged")
            for d in total.differing:
                print("   ", d)


if __name__ == "__main__":
    main()
