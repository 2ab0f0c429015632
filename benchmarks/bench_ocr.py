"""OCR speed and accuracy (issue #15): the pages of tests/ocr_compare.PAGES (with --corpus also CORPUS_PAGES, corpus
pages of other regions not tuned on) rasterised at 150 and 300 dpi, converted by OCR, compared with their text
originals. Prints pages/s and the share of identical amounts.

    PYTHONPATH=src python benchmarks/bench_ocr.py [--jobs N] [--corpus]
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
from tests.ocr_compare import (CORPUS, CORPUS_PAGES, PAGES, REFERENCES, Comparison, compare, convert_scan,  # noqa: E402
                               scanned_copy, text_page)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=0)
    parser.add_argument("--corpus", action="store_true", help="also the corpus pages of tests/ocr_compare.CORPUS_PAGES")
    args = parser.parse_args()
    pages = [(REFERENCES / name, page) for name, page in PAGES]
    if args.corpus:
        pages += [(CORPUS / name, page) for name, page in CORPUS_PAGES]
    if args.jobs:
        os.environ["OPENDATA_OCR_JOBS"] = str(args.jobs)
    limits = Limits.from_env()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for dpi in (150, 300):
            total, started = Comparison(), time.monotonic()
            for source, page in pages:
                original = text_page(source, page, folder / f"{source.stem}_{page}.pdf")
                scan = scanned_copy(original, folder / f"{source.stem}_{page}_{dpi}.pdf", dpi)
                total.add(compare(convert_in_process(original, limits), convert_scan(scan)))
            seconds = time.monotonic() - started
            print(f"{dpi} dpi: {len(pages)} pages in {seconds:.1f} s ({len(pages) / seconds:.3f} pages/s); "
                  f"{total.identical}/{total.total} amounts identical ({total.share:.1%}); "
                  f"{len(total.differing)} differing, {len(total.silent)} not flagged")
            for d in total.differing:
                print("   ", d)


if __name__ == "__main__":
    main()
