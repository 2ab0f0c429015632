"""What a workbook written by `opendata export-xlsx` carries beyond its visible table sheets, and
how the converter reads it back: the hidden 数据包 sheet and the record sheets.

The hidden sheet (A1 = `opendata:package`, written by `opendata.workbook`) has a header row
(row 2) and then one row per table and one row per table row:

    kind   | table     | key       | source_line | source_page | value
    table  | <tableId> | <layout>  |             |             | JSON: sheet, printedTitle, firstLine,
                                                                  lastLine, pages, columns (+ moneyUnit,
                                                                  moneyDecimals, note for records)
    row    | <tableId> | <row_id>  | 153         | (blank)     |

`layout` is `sheet` (a money table in the input-workbook layout), `records` (a table written
row for row on its own sheet: the performance tables), `text` (the narrative, on 文字说明) or
`derived` (key_figures, worked out from the narrative again). A record sheet has a title row
(row 1), the columns' Chinese titles (row 2), the columns' field names (row 3, read by the
converter) and one table row per sheet row from row 4; it is read exactly (typed as a package
CSV is), not through the table pipeline.

After conversion the hidden sheet gives each table back its printed title, source lines and
pages and declared columns, and each row (found by table and row_id) its source_line and
source_page in the original document, and the table its row order. A row that the sheet does not
list (added by hand) keeps its place in the workbook (row number, sheet position).
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from ..model import Disclosure, Table
from ..package_reader import CsvTable, PackageError, parse_cell, table_from_csv
from ..standard import load_standard
from .errors import ConversionError

PACKAGE_SHEET = "数据包"
PACKAGE_SHEET_MARK = "opendata:package"
PACKAGE_HEADER = ("kind", "table", "key", "source_line", "source_page", "value")
RECORDS_HEADER_ROW = 3      # the field names of a record sheet; rows below are records


@dataclass
class TableEntry:
    """One table listed on the 数据包 sheet: its layout and descriptor facts (`info`), and the
    source location of each of its rows by row_id: (source_line, source_page)."""
    table_id: str
    layout: str
    info: dict
    rows: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)

    @property
    def sheet(self) -> str | None:
        """The name of the sheet that holds the table (None for derived tables)."""
        return self.info.get("sheet")


def read_package_sheet(rows: list[tuple[int, list[str]]], label: str) -> dict[str, TableEntry]:
    """The tables listed on a 数据包 sheet, by table id, in sheet order. `rows` are the sheet's
    (row number, cell texts) pairs. ConversionError naming `label` and the row for a row that
    is not one of the layout's kinds or a table entry whose JSON does not parse."""
    entries: dict[str, TableEntry] = {}
    for number, cells in rows:
        cells = [*cells, *[""] * (len(PACKAGE_HEADER) - len(cells))]
        kind, table_id, key, line, page, value = cells[:len(PACKAGE_HEADER)]
        if number <= 2 or not kind:
            continue
        try:
            if kind == "table":
                info = json.loads(value)
                if not isinstance(info, dict):
                    raise ValueError("not a JSON object")
                entries[table_id] = TableEntry(table_id, key, info)
            elif kind == "row" and table_id in entries:
                entries[table_id].rows[key] = (parse_cell(line, "integer"), parse_cell(page, "integer"))
            else:
                raise ValueError(f"kind {kind!r} (expected table, or row after its table)")
        except ValueError as error:
            raise ConversionError(f"{label}: sheet '{PACKAGE_SHEET}' row {number}: {error}; "
                                  f"the sheet is written by opendata export-xlsx and must not be edited") from error
    return entries


def records_table(entry: TableEntry, rows: list[tuple[int, list[str]]], label: str) -> Table:
    """The table of a record sheet: the field names in row 3, one record per row below, typed by
    the standard's table schema exactly as a package CSV is read. ConversionError naming
    `label` when row 3 has no row_id column or a cell does not hold its column's type."""
    header_cells = next((cells for number, cells in rows if number == RECORDS_HEADER_ROW), [])
    header = list(header_cells)
    while header and not header[-1]:
        header.pop()
    records = [cells[:len(header)] + [""] * (len(header) - len(cells)) for number, cells in rows if number > RECORDS_HEADER_ROW]
    columns = [c for c in header if c]
    table_id = entry.info.get("tableId") or entry.table_id   # entry.table_id is the key (unlisted_table_N)
    resource = {"name": entry.table_id, "tableId": table_id, "schema": load_standard().resource_schema(table_id, columns),
                "printedTitle": entry.info.get("printedTitle"), "moneyUnit": entry.info.get("moneyUnit"),
                "moneyDecimals": entry.info.get("moneyDecimals"), "note": entry.info.get("note")}
    try:
        return table_from_csv(resource, CsvTable(label, header, records))
    except (PackageError, ValueError, ArithmeticError) as error:   # no row_id; a cell not of its column's type
        raise ConversionError(f"{label}: sheet '{entry.sheet}': {error} (record sheet of table {entry.table_id}: "
                              f"field names in row {RECORDS_HEADER_ROW}, one row per record below)") from error


def apply_package_sheet(disclosure: Disclosure, entries: dict[str, TableEntry]) -> None:
    """Give the converted tables back what the 数据包 sheet recorded (see the module docstring):
    printed title, first/last line and pages of each table, its declared columns (kept in their
    order, columns the workbook added after them), the package's row order (the two-sided
    tables print income and expenditure side by side, so the workbook interleaves them), and
    each listed row's source_line and source_page. A row the sheet does not list stays after
    the listed row it followed in the workbook, with its workbook location; tables the sheet
    does not list are left as converted."""
    for table_id, entry in entries.items():
        table = disclosure.tables.get(table_id)
        if table is None:
            continue
        info = entry.info
        table.printed_title = info.get("printedTitle")
        table.first_line, table.last_line = info.get("firstLine"), info.get("lastLine")
        table.pages = list(info.get("pages") or [])
        declared = list(info.get("columns") or [])
        table.columns = [*declared, *(c for c in table.columns if c not in declared)]
        order = {row_id: i for i, row_id in enumerate(entry.rows)}
        keys, last = {}, -1
        for row in table.rows:
            if row.row_id in entry.rows:
                row.source_line, row.source_page = entry.rows[row.row_id]
                last = order[row.row_id]
                keys[id(row)] = (last, 0)
            else:
                keys[id(row)] = (last, 1)   # after the listed row it followed in the workbook
        table.rows.sort(key=lambda row: keys[id(row)])
