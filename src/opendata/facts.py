"""The facts view: every printed amount of one or many packages as one long table."""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Iterator

from .money import format_amount
from .package import Package, find_packages
from .standard import load_standard

FACT_COLUMNS = [
    "package", "table", "side", "unit_code", "unit_name", "function_code", "economic_code", "item", "line", "project",
    "measure", "amount",
    "row_id", "row_type", "fiscal_year", "stage",
]


def facts(path: str | Path | Package) -> Iterator[dict]:
    """One dict per amount cell of every package at `path` (a package or a folder of
    packages, or one `Package` object, e.g. a release held in memory), each read through
    `Package` (`Package.open(folder).disclosure()`).

    Keys are FACT_COLUMNS. `line` is the row's canonical line (codelists/lines.csv) in the tables
    whose rows are a fixed list, `project` the project name (`project_name`) in the tables that
    name projects (project expenditure, performance targets, self-evaluations …); "" elsewhere. `amount` is a `decimal.Decimal` in 元 (exactly as stored),
    `fiscal_year` an int (None when the package has none); every other value is a string
    ("" when empty). Raises `opendata.package.PackageError` when `path` holds no package."""
    standard = load_standard()
    packages = [path] if isinstance(path, Package) else (Package.open(p) for p in find_packages(path))
    for package in packages:
        disclosure = package.disclosure()
        for table in disclosure.tables.values():
            spec = standard.tables.get(table.table_id)
            known = spec.measures if spec else standard.measures
            measures = [name for name in table.columns if name in known]
            cells = spec is not None and spec.kind == "cells"   # unlisted_table_N: the measure is the column path
            for row in table.rows:
                for measure in measures:
                    amount = row.values.get(measure)
                    if amount is None:
                        continue
                    if cells:
                        measure = row.values.get("column_header") or f"column {row.values.get('column_number')}"
                    yield {
                        "package": disclosure.name,
                        "table": table.key,
                        "side": row.values.get("side") or "",
                        "unit_code": row.values.get("unit_code") or "",
                        "unit_name": row.values.get("unit_name") or "",
                        "function_code": row.values.get("function_code") or "",
                        "economic_code": row.values.get("economic_code") or row.values.get("gov_economic_code") or "",
                        "item": row.values.get("item") or "",
                        "line": row.values.get("line") or "",
                        "project": row.values.get("project_name") or "",
                        "measure": measure,
                        "amount": amount,
                        "row_id": row.row_id,
                        "row_type": row.row_type,
                        "fiscal_year": disclosure.fiscal_year,
                        "stage": disclosure.stage,
                    }


def _csv_cell(value) -> str:
    if isinstance(value, Decimal):
        return format_amount(value)
    return "" if value is None else str(value)


def _json_value(value) -> str:
    """A JSON value; a Decimal is written as a JSON number with exactly its digits."""
    if isinstance(value, Decimal):
        return format_amount(value)
    return json.dumps(value, ensure_ascii=False)


def write_facts(rows, out, fmt: str = "csv") -> int:
    """Write facts (dicts as given by `facts`) to a text stream and return the count.

    csv: a header of FACT_COLUMNS, amounts as plain decimals in 元 (no exponent, no
    thousands separators). json: an array of objects; `amount` and `fiscal_year` are JSON
    numbers written with the exact digits of the Decimal (read them back with
    `json.loads(text, parse_float=decimal.Decimal)`). Raises ValueError for another format."""
    count = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(FACT_COLUMNS)
        for row in rows:
            writer.writerow([_csv_cell(row.get(column)) for column in FACT_COLUMNS])
            count += 1
    elif fmt == "json":
        out.write("[")
        for row in rows:
            body = ", ".join(f"{json.dumps(key)}: {_json_value(value)}" for key, value in row.items())
            out.write(("," if count else "") + "\n{" + body + "}")
            count += 1
        out.write("\n]\n")
    else:
        raise ValueError(f"unknown format {fmt!r}: use csv or json")
    return count


def facts_text(path, fmt: str = "csv") -> str:
    """`write_facts` of `facts(path)` into a string."""
    buffer = io.StringIO()
    write_facts(facts(path), buffer, fmt)
    return buffer.getvalue()
