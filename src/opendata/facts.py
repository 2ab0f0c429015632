"""The facts view: every printed amount of one or many packages as one long table."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Iterator

from .money import format_amount
from .package import find_packages, read_package
from .standard import load_standard

FACT_COLUMNS = [
    "package", "table", "side", "function_code", "economic_code", "item", "measure", "amount",
    "row_id", "row_type", "fiscal_year", "stage",
]


def facts(path: str | Path) -> Iterator[dict[str, str]]:
    """One dict per amount cell of every package at `path` (a package or a folder of packages)."""
    standard = load_standard()
    for package_dir in find_packages(path):
        disclosure = read_package(package_dir)
        for table in disclosure.tables.values():
            spec = standard.tables.get(table.table_id)
            known = spec.measures if spec else standard.measures
            measures = [name for name in table.columns if name in known]
            for row in table.rows:
                for measure in measures:
                    amount = row.values.get(measure)
                    if amount is None:
                        continue
                    yield {
                        "package": disclosure.name,
                        "table": table.table_id,
                        "side": row.values.get("side") or "",
                        "function_code": row.values.get("function_code") or "",
                        "economic_code": row.values.get("economic_code") or row.values.get("gov_economic_code") or "",
                        "item": row.values.get("item") or "",
                        "measure": measure,
                        "amount": format_amount(amount),
                        "row_id": row.row_id,
                        "row_type": row.row_type,
                        "fiscal_year": str(disclosure.fiscal_year),
                        "stage": disclosure.stage,
                    }


def write_facts(rows, out, fmt: str = "csv") -> int:
    """Write facts as CSV or JSON (an array of objects) to a text stream; returns the count."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FACT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow(row)
            count += 1
    elif fmt == "json":
        out.write("[")
        for row in rows:
            out.write(("," if count else "") + "\n" + json.dumps(row, ensure_ascii=False))
            count += 1
        out.write("\n]\n")
    else:
        raise ValueError(f"unknown format {fmt!r}: use csv or json")
    return count


def facts_text(path, fmt: str = "csv") -> str:
    buffer = io.StringIO()
    write_facts(facts(path), buffer, fmt)
    return buffer.getvalue()
