"""The validator against the hand-read truth (tests/corpus/findings/NNN.md, issue #14): for each
findings file, convert the corpus document, validate the package and match every validator
finding to the truth lines by page (PDF page numbers), printed amounts (1,535.86 → 1535.86)
and table. Prints per document and in all: the error+warning findings, how many match a truth
line (true) and how many match none; the truth table/cross-table lines found (recall, apart
for error and rounding) and the truth text/narrative lines found.

    .venv/bin/python benchmarks/bench_findings.py [--out DIR] [--reuse] [--only NNN ...]
                                                  [--list-unmatched] [--list-missed] [--json FILE]

`--out DIR --reuse` keeps the packages and converts only the documents not yet in DIR.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from opendata.convert.batch import CONVERTED, convert_batch  # noqa: E402
from opendata.validate import validate_package  # noqa: E402
from tests.corpus_compare import CORPUS  # noqa: E402
from tests.findings_truth import FINDINGS, amounts_in, match, read_findings  # noqa: E402

COUNTED = ("error", "warning")


def source_of(number: str) -> Path | None:
    """The corpus file NNN.* (None when absent)."""
    found = sorted(CORPUS.glob(f"{number}.*"))
    return found[0] if found else None


def packages(numbers: list[str], out: Path, reuse: bool) -> dict[str, Path | None]:
    """Convert the documents `numbers` into out/NNN (those already there are kept with
    `reuse`); returns the package folder of each (None when refused)."""
    todo = [n for n in numbers if not (reuse and (out / n / "datapackage.json").is_file())]
    sources = [source_of(n) for n in todo]
    if todo:
        report = convert_batch([s for s in sources if s], out, jobs=1, folder_of=lambda source, result: source.stem)
        for item in report.items:
            if item.status != CONVERTED:
                print(f"{Path(item.source).stem}: not converted: {item.error}", file=sys.stderr)
    return {n: (out / n if (out / n / "datapackage.json").is_file() else None) for n in numbers}


def score(number: str, package_dir: Path | None) -> dict:
    """Match the validator's findings on one package with the truth lines of its findings file."""
    truth = read_findings(FINDINGS / f"{number}.md")
    findings = validate_package(package_dir).findings if package_dir else []
    matched = match(findings, truth)
    result = {"file": number, "findings": [], "truth": []}
    for finding, lines in matched["findings"]:
        result["findings"].append({"rule": finding.rule, "severity": finding.severity, "table": finding.table,
                                   "page": (finding.location or {}).get("page"), "message": finding.message,
                                   "amounts": sorted(str(a) for a in amounts_in(finding)), "truth": lines})
    for line in truth:
        result["truth"].append({**line, "found": line["id"] in matched["found"]})
    return result


def tally(results: list[dict]) -> dict:
    """The counts of `results` (one document or many)."""
    counted = [f for r in results for f in r["findings"] if f["severity"] in COUNTED]
    truth = [t for r in results for t in r["truth"]]

    def share(kinds, categories):
        lines = [t for t in truth if t["kind"] in kinds and t["category"] in categories]
        return sum(1 for t in lines if t["found"]), len(lines)

    return {
        "errors+warnings": len(counted),
        "true": sum(1 for f in counted if f["truth"]),
        "unmatched": sum(1 for f in counted if not f["truth"]),
        "table errors found": share(("table", "cross-table"), ("error", "warning")),
        "table rounding found": share(("table", "cross-table"), ("rounding",)),
        "text found": share(("text", "narrative"), ("error", "warning", "rounding")),
        "infos": sum(1 for r in results for f in r["findings"] if f["severity"] == "info"),
    }


def pair(value) -> str:
    found, wanted = value
    return f"{found}/{wanted}" if wanted else "-"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, help="keep the packages in this folder (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true", help="do not convert again what is already in --out")
    parser.add_argument("--only", nargs="+", metavar="NNN", help="only these findings files")
    parser.add_argument("--list-unmatched", action="store_true",
                        help="print each error/warning finding that matches no truth line (page, rule, message)")
    parser.add_argument("--list-missed", action="store_true", help="print each truth line not found")
    parser.add_argument("--json", type=Path, help="write the per-document results as JSON to this file")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        sys.exit(f"{CORPUS} not found: the corpus lies beside the repository in ../shared/corpus")
    numbers = sorted(p.stem for p in FINDINGS.glob("[0-9]*.md") if not args.only or p.stem in args.only)
    numbers = [n for n in numbers if source_of(n)]
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        out.mkdir(parents=True, exist_ok=True)
        folders = packages(numbers, out, args.reuse)
        results = [score(n, folders[n]) for n in numbers]
    print(f"{'file':6} {'err+warn':>8} {'true':>5} {'unmatch':>7} {'tbl err':>8} {'tbl rnd':>8} {'text':>7} {'info':>5}")
    for result in results + [None]:
        t = tally([result] if result else results)
        name = result["file"] if result else "all"
        print(f"{name:6} {t['errors+warnings']:8d} {t['true']:5d} {t['unmatched']:7d} {pair(t['table errors found']):>8} "
              f"{pair(t['table rounding found']):>8} {pair(t['text found']):>7} {t['infos']:5d}")
        if result and args.list_unmatched:
            for f in result["findings"]:
                if f["severity"] in COUNTED and not f["truth"]:
                    print(f"    p.{f['page']} {f['severity']} {f['rule']} [{f['table']}] {f['message'][:300]}")
        if result and args.list_missed:
            for line in result["truth"]:
                if not line["found"]:
                    print(f"    missed {line['id']} {line['kind']}/{line['category']} p.{line['page']} "
                          f"{line['where'][:80]} | {line['printed'][:80]}")
    t = tally(results)
    precision = t["true"] / t["errors+warnings"] if t["errors+warnings"] else 1.0
    print(f"precision {t['true']}/{t['errors+warnings']} = {100 * precision:.0f}%; "
          f"recall table errors {pair(t['table errors found'])}, rounding {pair(t['table rounding found'])}, "
          f"text {pair(t['text found'])}")
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
