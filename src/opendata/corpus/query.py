"""Run SQL on a corpus database and format the result as a text table, CSV or JSON."""
from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ..money import format_amount
from .db import connect

FORMATS = ("table", "csv", "json")


@dataclass
class QueryResult:
    """The columns and rows (tuples of Python values: DECIMAL columns as decimal.Decimal) of one query."""
    columns: list[str]
    rows: list[tuple]


def query(db_path: str | Path, sql: str) -> QueryResult:
    """Run one SQL statement on the corpus database at `db_path` (opened read-only) and return its
    result. FileNotFoundError when there is no database; duckdb.Error for SQL that fails."""
    con = connect(db_path)
    try:
        cursor = con.execute(sql)
        columns = [d[0] for d in cursor.description] if cursor.description else []
        rows = cursor.fetchall() if columns else []
    finally:
        con.close()
    return QueryResult(columns, rows)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format_amount(value) if value.is_finite() else str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _json(value) -> str:
    """A JSON value; a Decimal as a JSON number with exactly its digits."""
    if isinstance(value, Decimal) and value.is_finite():
        return format_amount(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return json.dumps(value.isoformat())
    if isinstance(value, (int, float, bool)) or value is None:
        return json.dumps(value)
    return json.dumps(str(value), ensure_ascii=False)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """`result` as text. table: aligned columns for reading (amounts right-aligned, plain decimals);
    csv: a header and one line per row (amounts as plain decimals, NULL as empty); json: an array
    of objects, amounts as JSON numbers with the exact digits (read back with
    `json.loads(text, parse_float=decimal.Decimal)`). ValueError for another format."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([_text(v) for v in row] for row in result.rows)
        return buffer.getvalue()
    if fmt == "json":
        objects = ["{" + ", ".join(f"{json.dumps(c, ensure_ascii=False)}: {_json(v)}" for c, v in zip(result.columns, row)) + "}"
                   for row in result.rows]
        return "[" + ",".join("\n" + o for o in objects) + ("\n" if objects else "") + "]\n"
    if fmt != "table":
        raise ValueError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
    cells = [[_text(v) for v in row] for row in result.rows]
    numeric = [all(isinstance(row[i], (int, Decimal, float)) and not isinstance(row[i], bool)
                   for row in result.rows if row[i] is not None) for i in range(len(result.columns))]
    widths = [max([_width(c)] + [_width(row[i]) for row in cells]) for i, c in enumerate(result.columns)]

    def line(values: list[str]) -> str:
        return "  ".join(_pad(v, w, right) for v, w, right in zip(values, widths, numeric)).rstrip()

    out = [line(result.columns), "  ".join("-" * w for w in widths)]
    out += [line(row) for row in cells]
    out.append(f"({len(result.rows)} row{'s' if len(result.rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _width(text: str) -> int:
    """Display width: CJK and full-width characters take two columns."""
    import unicodedata
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    space = " " * (width - _width(text))
    return space + text if right else text + space
