"""Text that a spreadsheet would run as a formula (CSV / formula injection).

A text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is run as a
formula when Excel or LibreOffice opens a CSV file holding it (OWASP, "CSV Injection").
The canonical CSV of a package keeps such text as printed, and validation reports it
(rule `text.formula-like`); every file meant for a spreadsheet — the workbook of
`opendata export-xlsx`, the Excel CSV of `opendata publish --excel-csv` — escapes it
with a leading apostrophe `'`, OWASP's practice. Amounts are numbers, never text, and
are never escaped: only cells of text (string) fields are.

Escaping is reversible: `unescape_formula(escape_formula(text)) == text` for every text
(a text that already begins with apostrophes before a formula character gets one more),
so converting an exported workbook back gives the original text.
"""
from __future__ import annotations

import csv
import io

from .package_reader import PackageError, parse_csv

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet would take this text for a formula (see FORMULA_STARTS)."""
    return isinstance(text, str) and text.startswith(FORMULA_STARTS)


def escape_formula(text: str) -> str:
    """The text with a leading `'` when it (after any apostrophes it begins with) looks like
    a formula; other text as it is."""
    return QUOTE + text if looks_like_formula(text.lstrip(QUOTE)) else text


def unescape_formula(text: str) -> str:
    """The inverse of `escape_formula`: one leading `'` removed where escape_formula put it."""
    if text.startswith(QUOTE) and looks_like_formula(text.lstrip(QUOTE)):
        return text[1:]
    return text


def excel_csv(data: bytes, schema: dict | None) -> bytes:
    """A table's canonical CSV (UTF-8 bytes) made safe for Excel: a UTF-8 byte order mark in
    front and the cells of text fields (schema type string or any, by header name) that
    look like formulas escaped. Numbers are left as they are; a file with nothing to
    escape keeps its bytes. `data` that is not UTF-8 CSV is returned with the BOM only;
    `data` that already begins with a BOM does not get a second one."""
    bom = b"\xef\xbb\xbf"
    if data.startswith(bom):
        data = data[len(bom):]
    try:
        rows = parse_csv(data, "table CSV").rows  # the one CSV reader
    except PackageError:  # not UTF-8, or not CSV
        return b"\xef\xbb\xbf" + data
    types = {f.get("name"): f.get("type", "string") for f in (schema or {}).get("fields") or [] if isinstance(f, dict)}
    if not rows:
        return b"\xef\xbb\xbf" + data
    text_columns = [i for i, name in enumerate(rows[0]) if types.get(name, "string") in ("string", "any")]
    changed = False
    for cells in rows[1:]:
        for i in text_columns:
            if i < len(cells) and cells[i] != (escaped := escape_formula(cells[i])):
                cells[i] = escaped
                changed = True
    if not changed:
        return b"\xef\xbb\xbf" + data
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")
