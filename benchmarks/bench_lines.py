"""Canonical lines (schema/codelists/lines.csv) over a folder of converted packages (the national
corpus converted, e.g. `opendata convert ../shared/corpus/*.pdf --out-dir DIR`): for each line of
each table, how many packages print it (a row of theirs maps to the line: its label is printed)
and how many give exactly one fact for it (`opendata facts` filtered on table, line and measure
`total`: one amount), with the packages giving more than one. For the 三公 table a category
counts as printed where it is a row (line = category) or a column of the total row (line total,
measure = category); exactly one fact is then either of the two.

Lines are assigned again with the current code list (`opendata.convert.lines.assign_table`), so
packages converted before the `line` field, or with an older list, are measured as a conversion
today would give them.

    .venv/bin/python benchmarks/bench_lines.py [DIR] [--unmapped N] [--all] [--line CODE ...]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from opendata.convert.lines import assign_table, line_key, table_lines  # noqa: E402
from opendata.package import Package, find_packages  # noqa: E402
from opendata.validate.identities.lines import own_rows  # noqa: E402

TABLES = ("income_expenditure_summary", "fiscal_appropriation_summary", "three_public_expenses", "operating_costs")
THREE = "three_public_expenses"


def measure(folder: Path):
    """(packages, printed, one, many, none, unmapped): printed[(table, line)] / one[...] count packages,
    many[...] lists the packages with more than one fact, none[...] those printing the line with no
    amount (blank or a dash: no fact), unmapped counts labels not mapped."""
    printed: Counter = Counter()
    one: Counter = Counter()
    many: dict = defaultdict(list)
    none: dict = defaultdict(list)
    unmapped: Counter = Counter()
    packages = 0
    for path in find_packages(folder):
        packages += 1
        disclosure = Package.open(path).disclosure()
        for table in disclosure.tables.values():
            if table.table_id not in TABLES:
                continue
            printed[(table.table_id, "")] += 1
            for label in assign_table(table, disclosure.fiscal_year):
                unmapped[(table.table_id, line_key(label.split(" (again")[0]))] += 1
            rows = [row for row in table.rows if row.values.get("line")]
            codes = {line.code for line in table_lines(table.table_id)}
            for code in codes:
                mapped = own_rows(table, [row for row in rows if row.values["line"] == code])
                amounts = [row.values["total"] for row in mapped if row.values.get("total") is not None]
                if table.table_id == THREE and code != "total":
                    columns = [row for row in rows if row.values["line"] == "total" and code in table.columns]
                    mapped += columns
                    amounts += [row.values[code] for row in columns if row.values.get(code) is not None]
                if not mapped:
                    continue
                printed[(table.table_id, code)] += 1
                if len(amounts) == 1:
                    one[(table.table_id, code)] += 1
                elif len(amounts) > 1:
                    many[(table.table_id, code)].append(disclosure.name)
                else:
                    none[(table.table_id, code)].append(disclosure.name)
    return packages, printed, one, many, none, unmapped


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", nargs="?", default="/work/pk_all", help="a folder of packages")
    parser.add_argument("--unmapped", type=int, default=15, help="list the N most frequent labels that map to no line")
    parser.add_argument("--all", action="store_true", help="every line, also those no package prints")
    parser.add_argument("--line", dest="lines", action="append", default=[],
                        help="list the packages printing this line with no amount or more than one (repeatable)")
    args = parser.parse_args(argv)
    packages, printed, one, many, none, unmapped = measure(Path(args.folder))
    print(f"{packages} package(s) in {args.folder}")
    print(f"{'table':30} {'line':38} {'print':>5} {'one':>5} {'>1':>4}")
    for table in TABLES:
        print(f"{table:30} {'(packages printing the table)':38} {printed[(table, '')]:5d}")
        for line in table_lines(table):
            key = (table, line.code)
            if not printed[key] and not args.all:
                continue
            print(f"{table:30} {line.code:38} {printed[key]:5d} {one[key]:5d} {len(many.get(key, [])):4d}"
                  + (f"  more than one: {', '.join(many[key][:3])}" if many.get(key) else ""))
    for (table, line), names in sorted({**none, **{k: [] for k in many}}.items()):
        if line in args.lines:
            print(f"{table} {line}: no amount: {', '.join(none.get((table, line), [])) or '-'}; "
                  f"more than one: {', '.join(many.get((table, line), [])) or '-'}")
    total = sum(unmapped.values())
    print(f"\nrows mapped to no line: {total}")
    for (table, label), count in unmapped.most_common(args.unmapped):
        print(f"  {count:4d}  {table:30} {label}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
