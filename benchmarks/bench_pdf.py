"""Speed of the PDF converter on the reference PDFs (pages per second).

    .venv/bin/python benchmarks/bench_pdf.py [FILE.pdf ...]

The limit is pdfminer.six (under pdfplumber): parsing and interpreting the pages' content
streams into characters takes about 85% of the time; word grouping, table finding and
the model build are small.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from opendata.convert import convert_file

REFERENCES = Path(__file__).resolve().parents[1].parent / "shared" / "references" / "pdf"


def main(paths: list[str]) -> None:
    files = [Path(p) for p in paths] or sorted(REFERENCES.glob("*.pdf"))
    import pdfplumber

    total_pages = total_time = 0.0
    for path in files:
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
        start = time.perf_counter()
        result = convert_file(path)
        elapsed = time.perf_counter() - start
        total_pages += pages
        total_time += elapsed
        tables = sum(1 for t in result.disclosure.tables.values() if t.rows)
        print(f"{path.name}: {pages} pages in {elapsed:.2f}s = {pages / elapsed:.1f} pages/s ({tables} tables with rows)")
    if total_time:
        print(f"all: {total_pages:.0f} pages in {total_time:.2f}s = {total_pages / total_time:.1f} pages/s (limited by pdfminer.six content-stream parsing under pdfplumber)")


if __name__ == "__main__":
    main(sys.argv[1:])
