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

INDICATOR_FIELDS = ("indicator_level1", "indicator_level2", "indicator_level3")
PROJECT_FIELDS = ("unit_code", "unit_name", "project_code", "project_name")

FACT_COLUMNS = [
    "package", "table", "side", "unit_code", "unit_name", "function_code", "economic_code", "item", "line", "period", "project", "project_code",
    "measure", "amount",
    "row_id", "row_type", "fiscal_year", "stage",
]


def facts(path: str | Path | Package) -> Iterator[dict]:
    """One dict per amount cell (a project's amount repeated on indicator rows once, see below) of
    every package at `path` (a package or a folder of
    packages, or one `Package` object, e.g. a release held in memory), each read through
    `Package` (`Package.open(folder).disclosure()`).

    Keys are FACT_COLUMNS. `line` is the row's canonical line (codelists/lines.csv) in the tables
    whose rows are a fixed list, `project` the project name (`project_name`) and `project_code` its code where printed, in the
    tables that name projects (project expenditure, performance targets, self-evaluations …; two
    projects may share a name, not a code); "" elsewhere. `amount` is a `decimal.Decimal` in 元 (exactly as stored),
    `fiscal_year` an int (None when the package has none); every other value is a string
    ("" when empty). Raises `opendata.package.PackageError` when `path` holds no package.

    One fact per project amount: in the tables whose indicator rows repeat their project's amounts
    (`repeated_amounts` in codelists/tables.csv: performance targets, self-evaluations), an amount on
    an indicator row (a row printing indicator_level1/2/3) is left out when it equals the last amount
    of the same measure printed on a row of the same project (same unit and project; the whole table
    where rows name no project): the project's amount is one fact, from the first row printing it.
    A different amount is its own fact; rows that print no indicator (funding lines such as
    年度资金总额 and 其中：财政拨款, totals) are facts like in any table. The CSV keeps every row as printed."""
    standard = load_standard()
    packages = [path] if isinstance(path, Package) else (Package.open(p) for p in find_packages(path))
    for package in packages:
        disclosure = package.disclosure()
        for table in disclosure.tables.values():
            spec = standard.tables.get(table.table_id)
            known = spec.measures if spec else standard.measures
            measures = [name for name in table.columns if name in known]
            cells = spec is not None and spec.kind == "cells"   # unlisted_table_N: the measure is the column path
            repeats = _repeated_cells(table) if spec is not None and spec.repeated_amounts else set()
            for index, row in enumerate(table.rows):
                for measure in measures:
                    amount = row.values.get(measure)
                    if amount is None or (index, measure) in repeats:
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
                        "period": row.values.get("period") or "",
                        "project": row.values.get("project_name") or "",
                        "project_code": row.values.get("project_code") or "",
                        "measure": measure,
                        "amount": amount,
                        "row_id": row.row_id,
                        "row_type": row.row_type,
                        "fiscal_year": disclosure.fiscal_year,
                        "stage": disclosure.stage,
                    }


def _repeated_cells(table) -> set[tuple[int, str]]:
    """(row index, measure) of the amounts on indicator rows that repeat the amount of the same
    measure on the previous row of the same project (see `facts`)."""
    last: dict[tuple, object] = {}
    repeated = set()
    for index, row in enumerate(table.rows):
        project = tuple(row.values.get(name) or "" for name in PROJECT_FIELDS)
        indicator = any(row.values.get(name) for name in INDICATOR_FIELDS)
        for measure, amount in row.values.items():
            if not isinstance(amount, Decimal):
                continue
            if indicator and last.get((project, measure)) == amount:
                repeated.add((index, measure))
            last[(project, measure)] = amount
    return repeated


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
