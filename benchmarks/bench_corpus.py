"""The converter on the national corpus (../shared/corpus), against what each document prints
(tests/corpus/NNN.json, read by hand): prints, per document and in all, whether it converted
or was refused as it should, how many of its printed tables, grand totals and hand-read cells
are in its package, the share of the distinct amounts printed in its tables (lines laid out in
columns, as poppler's pdftotext reads them: an extractor independent of the converter) that
are among the package's amounts, the share of the accounting identities the validator compared
that hold (a misread shows as a broken identity as often as a misprint does), and pages per second.

    .venv/bin/python benchmarks/bench_corpus.py [--jobs N] [--out DIR] [--missing] [--unfound]
                                                [--json FILE] [--only NNN ...]
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opendata.convert.batch import CONVERTED, convert_batch  # noqa: E402
from opendata.package import Package  # noqa: E402
from opendata.validate import validate_package  # noqa: E402
from tests.corpus_compare import (CORPUS, amount_share, compare, expectations, printed_amounts, totals,  # noqa: E402
                                  unfound_lines)  # noqa: E402


def run(out: Path, jobs: int, only=None):
    """Convert the corpus files that have an expectation (those whose file name starts with one
    of `only`, when given) into `out`; returns (expectations, report, scores)."""
    expected = [e for e in expectations() if not only or e["file"].startswith(tuple(only))]
    report = convert_batch([CORPUS / e["file"] for e in expected], out, jobs=jobs,
                           folder_of=lambda source, result: source.stem)  # two parts of one disclosure share a name
    scores = []
    for exp, item in zip(expected, report.items):
        converted = item.status == CONVERTED
        package = Package.open(item.package) if converted else None
        score = compare(exp, converted, package)
        score.share = amount_share(printed_amounts(CORPUS / exp["file"]), package) if package else None
        score.unfound = unfound_lines(CORPUS / exp["file"], package) if package else []
        if package:
            checked = validate_package(item.package)
            score.identities = (checked.identities_held, checked.identities_checked)
        scores.append(score)
    return expected, report, scores


def ratio(pair) -> str:
    found, wanted = pair
    return f"{found}/{wanted} ({100 * found / wanted:.0f}%)" if wanted else "0/0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=0, help="documents converted at a time (0: one per CPU)")
    parser.add_argument("--out", type=Path, help="keep the packages in this folder (default: a temporary one)")
    parser.add_argument("--missing", action="store_true", help="list what was not found, per document")
    parser.add_argument("--unfound", action="store_true",
                        help="print, per document, the table lines (page: line) holding an amount not in the package")
    parser.add_argument("--only", nargs="+", metavar="NNN", help="only the corpus files whose name starts so")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} not found: the corpus lies beside the repository in ../shared/corpus")
    with tempfile.TemporaryDirectory() as tmp:
        expected, report, scores = run(args.out or Path(tmp), args.jobs, args.only)
    print(f"{'file':8} {'outcome':10} {'tables':>8} {'totals':>8} {'cells':>8} {'amounts':>8} {'identities':>11} "
          f"{'warn':>6} {'s':>6}")
    for score, item in zip(scores, report.items):
        outcome = ("ok " if score.outcome_ok else "WRONG ") + ("conv" if score.converted else "ref")
        share = f"{100 * score.share:.0f}%" if score.share is not None else "-"
        print(f"{score.file:8} {outcome:10} {'%d/%d' % score.tables:>8} {'%d/%d' % score.totals:>8} "
              f"{'%d/%d' % score.cells:>8} {share:>8} {'%d/%d' % score.identities:>11} {item.warnings:6d} {item.seconds:6.1f}")
        if args.missing:
            for what in score.missing:
                print(f"{'':10}missing {what}")
            if not score.outcome_ok:
                print(f"{'':10}{item.error or 'converted but should be refused'}")
        if args.unfound:
            for page, line in score.unfound:
                print(f"{'':10}p{page}: {line}")
    figures = totals(scores)
    summary = report.summary()
    shares = sorted(s.share for s in scores if s.share is not None)
    figures["amount_share_median"] = statistics.median(shares) if shares else None
    held, checked = (sum(s.identities[i] for s in scores) for i in (0, 1))
    figures["identities"] = (held, checked)
    figures["below_95"] = [s.file for s in scores if s.share is not None and s.share < 0.95]
    pages = sum(e.get("pages") or 0 for e, s in zip(expected, scores) if s.converted)
    conversion = sum(item.seconds for item in report.items if item.status == CONVERTED)
    figures["pages_per_second"] = pages / conversion if conversion else None
    print(f"\n{figures['files']} documents: outcome right {figures['outcome_right']}, converted {figures['converted']}, "
          f"refused {figures['files'] - figures['converted']}")
    print(f"tables found {ratio(figures['tables'])}, printed totals found {ratio(figures['totals'])}, "
          f"hand-read cells found {ratio(figures['cells'])}, tables in the document's money unit {ratio(figures['units'])}")
    if shares:
        print(f"printed amounts found: median {100 * figures['amount_share_median']:.1f}% over {len(shares)} converted PDFs; "
              f"below 95%: {len(figures['below_95'])} ({' '.join(figures['below_95'])})")
    print(f"accounting identities that hold: {ratio(figures['identities'])} of those the validator compared")
    if figures["pages_per_second"]:
        print(f"{pages} pages of converted documents at {figures['pages_per_second']:.2f} pages/s of conversion (one process)")
    print(f"{summary['rows']} rows, {summary['amounts']} amounts, {summary['warnings']} warnings; "
          f"{summary['seconds']} s wall with {args.jobs or 'one per CPU'} job(s), "
          f"{sum(item.seconds for item in report.items):.1f} s of conversion")
    if args.json:
        args.json.write_text(json.dumps({"figures": figures, "summary": summary}, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
