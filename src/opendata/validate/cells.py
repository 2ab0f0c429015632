"""Layer 1, the text of a package: what the table schemas cannot say about a CSV's bytes
and cells, and the strings of the descriptor.

- `table.encoding`: a table CSV must be UTF-8 without a byte order mark; a BOM (line 1)
  or bytes that are not UTF-8 (GBK, GB18030 …: the first bad line) are reported (by
  `structure`, from the `CsvEncodingError` of `Package.csv`), and the table is not read
  further (its cells would be misread);
- `text.control-character`: a cell, or a string of datapackage.json, holds a NUL or other
  C0 control character (tab, newline and CR LF are allowed), DEL or a lone surrogate —
  text a database (CKAN's DataStore) refuses;
- `text.formula-like`: a cell of a text field begins like a spreadsheet formula
  (= + - @, tab, CR: `opendata.formulas`); kept as printed, escaped in every file meant
  for Excel, reported as a warning.
"""
from __future__ import annotations

import re

from ..formulas import looks_like_formula
from ..package import CsvTable
from .report import Finding, PackageReport

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]|\r(?!\n)")


def control_characters(text: str) -> list[str]:
    """The forbidden characters of a text as code points ('U+0000' …), each once, in order."""
    return list(dict.fromkeys(f"U+{ord(c):04X}" for c in CONTROL.findall(text)))


def check_table_text(data: CsvTable, schema: dict, table_id: str, report: PackageReport, where: str) -> None:
    """Check the cells of one table CSV, as `Package.csv` read it (so already clean UTF-8
    without BOM: `table.encoding` is reported by whoever read it), for control characters
    and formula-like text (see the module docstring); `where` names the file in findings
    (`data/<name>`)."""
    types = {f.get("name"): f.get("type", "string") for f in schema.get("fields") or [] if isinstance(f, dict)}
    rows = data.rows
    if not rows:
        return
    labels = rows[0]
    row_id_at = labels.index("row_id") if "row_id" in labels else None
    for number, cells in enumerate(rows, start=1):
        row_id = cells[row_id_at] if row_id_at is not None and number > 1 and row_id_at < len(cells) else None
        for index, cell in enumerate(cells):
            column = labels[index] if index < len(labels) else None
            found = control_characters(cell)
            if found:
                report.add(Finding(
                    "text.control-character",
                    f"{table_id}: row {number}, column {column or index + 1}: control character(s) {', '.join(found)} in {cell[:40]!r}",
                    table=table_id, row_id=row_id or None, found=", ".join(found),
                    location={"file": where, "row": number, "column": column}))
            if number > 1 and types.get(column, "string") in ("string", "any") and looks_like_formula(cell):
                source = source_place(labels, cells)
                printed_at = "".join(f", {name} {value}" for name, value in (("page", source.get("page")),
                                                                              ("line", source.get("line"))) if value)
                report.add(Finding(
                    "text.formula-like",
                    f"{table_id}: row {number}, column {column}{printed_at}: text {cell[:40]!r} begins like a spreadsheet "
                    "formula; files for Excel escape it with a leading '",
                    table=table_id, row_id=row_id or None, found=cell[:200],
                    location={"file": where, "row": number, "column": column, **source}))


def source_place(labels: list[str], cells: list[str]) -> dict:
    """Where a CSV row was printed in the source document, from its source_page and source_line
    cells: {'page': int, 'line': int}, each only when the table has the column and the cell is a
    number (an empty dict otherwise)."""
    place = {}
    for key, column in (("page", "source_page"), ("line", "source_line")):
        at = labels.index(column) if column in labels else None
        if at is not None and at < len(cells) and cells[at].strip().isdigit():
            place[key] = int(cells[at])
    return place


def check_descriptor_text(descriptor, report: PackageReport) -> None:
    """Report every key or string value of the descriptor that holds a control character,
    with its JSON pointer."""
    def walk(value, pointer: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                child = f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}"
                if isinstance(key, str) and (found := control_characters(key)):
                    report.add(Finding("text.control-character", f"datapackage.json {child}: control character(s) {', '.join(found)} in a key",
                                       found=", ".join(found), location={"file": "datapackage.json", "pointer": child}))
                walk(item, child)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                walk(item, f"{pointer}/{index}")
        elif isinstance(value, str) and (found := control_characters(value)):
            report.add(Finding("text.control-character", f"datapackage.json {pointer or '/'}: control character(s) {', '.join(found)} in {value[:40]!r}",
                               found=", ".join(found), location={"file": "datapackage.json", "pointer": pointer}))

    walk(descriptor, "")
